import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signWebhook } from './webhook-signature';

type Verify = (rawBody: string, header: string | undefined, secret: string) => boolean;

/** The receiver snippet in docs/webhooks.md, run as written, so the docs cannot drift. */
function snippet(): Verify {
  const doc = readFileSync(path.resolve(__dirname, '../../../docs/webhooks.md'), 'utf8');
  const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  const code = blocks.find((b) => b.includes('function verifyMalipo'));
  if (!code) throw new Error('verification snippet not found in docs/webhooks.md');
  return new Function('require', `${code}\nreturn verifyMalipo;`)(require) as Verify;
}

describe('the documented verification snippet', () => {
  const verify = snippet();
  const now = () => Math.floor(Date.now() / 1000);
  const body = '{"id":"evt_pe1_payment_succeeded","type":"payment.succeeded"}';

  it('accepts a fresh signature with either secret during a rotation', () => {
    const header = signWebhook(body, ['whsec_new', 'whsec_old'], now());
    expect(verify(body, header, 'whsec_new')).toBe(true);
    expect(verify(body, header, 'whsec_old')).toBe(true);
    expect(verify(body, header, 'whsec_other')).toBe(false);
  });

  it('refuses a changed body, a replayed (old) timestamp and a missing header', () => {
    expect(verify(`${body} `, signWebhook(body, ['s'], now()), 's')).toBe(false);
    expect(verify(body, signWebhook(body, ['s'], now() - 301), 's')).toBe(false);
    expect(verify(body, undefined, 's')).toBe(false);
    expect(verify(body, 't=1,v1=zz', 's')).toBe(false);
  });
});
