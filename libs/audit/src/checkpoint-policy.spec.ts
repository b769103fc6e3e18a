import fc from 'fast-check';
import { isCheckpointDue } from './checkpoint-policy';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const policy = { every: 100, intervalMs: 300_000 };
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe(isCheckpointDue.name, () => {
  it('is due by count, by time with at least one new entry, or at a new chain’s first entry', () => {
    expect(isCheckpointDue({ seq: 100, at: ago(0) }, 200, NOW, policy)).toBe(true);
    expect(isCheckpointDue({ seq: 100, at: ago(0) }, 199, NOW, policy)).toBe(false);
    expect(isCheckpointDue({ seq: 100, at: ago(300_000) }, 101, NOW, policy)).toBe(true);
    expect(isCheckpointDue({ seq: 100, at: ago(299_999) }, 101, NOW, policy)).toBe(false);
    expect(isCheckpointDue({ seq: 100, at: ago(10 * 300_000) }, 100, NOW, policy)).toBe(false);
    expect(isCheckpointDue(undefined, 1, NOW, policy)).toBe(true);
    expect(isCheckpointDue(undefined, 0, NOW, policy)).toBe(false);
  });

  it('never checkpoints a head that has not moved, and always one that moved by `every` (property)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000 }),
        fc.integer({ min: -50, max: 500 }),
        fc.nat({ max: 1_000_000 }),
        fc.integer({ min: 1, max: 200 }),
        (lastSeq, moved, ageMs, every) => {
          const rules = { every, intervalMs: 300_000 };
          const due = isCheckpointDue(
            { seq: lastSeq, at: ago(ageMs) },
            lastSeq + moved,
            NOW,
            rules,
          );
          if (moved <= 0) expect(due).toBe(false);
          if (moved >= every) expect(due).toBe(true);
          if (moved > 0 && moved < every) expect(due).toBe(ageMs >= rules.intervalMs);
        },
      ),
    );
  });
});
