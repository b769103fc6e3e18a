import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Supervisor, restartDelayMs } from '../../../scripts/supervisor';
import { waitFor } from '../../support/processes';

/** A child that counts its starts in a file, crashes on its first start, then runs until SIGTERM. */
const CRASH_ONCE = `
const fs = require('fs');
const file = process.env.COUNTER;
const n = Number(fs.readFileSync(file, 'utf8')) + 1;
fs.writeFileSync(file, String(n));
if (n === 1) process.exit(3);
process.on('SIGTERM', () => { fs.writeFileSync(file + '.stopped', 'yes'); process.exit(0); });
setInterval(() => undefined, 1000);
`;

describe(Supervisor.name, () => {
  it('doubles the restart delay with each crash in a row, up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => restartDelayMs(n, 500, 5_000))).toEqual([
      500, 1_000, 2_000, 4_000, 5_000,
    ]);
  });

  it('restarts a crashed child after a logged back-off, and stops it gracefully', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'malipo-supervisor-'));
    const counter = path.join(dir, 'starts');
    writeFileSync(counter, '0');
    const lines: string[] = [];
    const sut = new Supervisor(
      [
        {
          name: 'flaky',
          command: process.execPath,
          args: ['-e', CRASH_ONCE],
          env: { ...process.env, COUNTER: counter },
        },
      ],
      { baseBackoffMs: 200, log: (l) => lines.push(l) },
    );
    sut.start();
    try {
      await waitFor(async () => readFileSync(counter, 'utf8') === '2', 10_000);
      expect(lines).toEqual([
        expect.stringMatching(/^start: flaky exited \(3\) after 0 s; restarting in 200 ms/),
      ]);
    } finally {
      await sut.stop();
    }
    expect(readFileSync(`${counter}.stopped`, 'utf8')).toBe('yes');
    expect(sut.child('flaky')?.exitCode).toBe(0);
  });
});
