import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RESULT_DELIVERIES, SANDBOX_INITIATOR, SimInitiators } from './sim-initiators';

describe(SimInitiators.name, () => {
  it('documents every result delivery mode in docs/daraja-simulator.md', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/daraja-simulator.md'), 'utf8');
    const section = doc.slice(doc.indexOf('| delivery | effect |'));
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.slice(0, RESULT_DELIVERIES.length).sort()).toEqual(
      [...RESULT_DELIVERIES].sort(),
    );
  });

  it('knows the sandbox initiator after a reset and never lists passwords', () => {
    const sut = new SimInitiators();
    sut.reset();
    sut.add({ name: 'op1', password: 'secret#1', roles: ['status'], delivery: 'twice' });
    expect(sut.get(SANDBOX_INITIATOR.name)?.password).toBe(SANDBOX_INITIATOR.password);
    expect(JSON.stringify(sut.list())).not.toContain('secret#1');
    sut.reset();
    expect(sut.get('op1')).toBeUndefined();
  });
});
