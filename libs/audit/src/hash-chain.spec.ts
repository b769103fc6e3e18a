import fc from 'fast-check';
import {
  GENESIS_DOMAIN,
  canonicalAroundSeq,
  canonicalEntry,
  chainHash,
  genesisHash,
  leafHash,
  sha256,
  verifyChain,
  type AuditEntryBody,
  type AuditJson,
  type StoredAuditEntry,
} from './hash-chain';

const json: fc.Arbitrary<AuditJson> = fc.jsonValue() as fc.Arbitrary<AuditJson>;
const object = fc.dictionary(fc.string(), json) as fc.Arbitrary<{ [key: string]: AuditJson }>;
const body: fc.Arbitrary<AuditEntryBody> = fc.record({
  chainId: fc.uuid(),
  at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  actor: object,
  action: fc.string(),
  subject: object,
  data: object,
});

function chainOf(chainId: string, bodies: AuditEntryBody[]): StoredAuditEntry[] {
  let previous = genesisHash(chainId);
  return bodies.map((b, i) => {
    const content = { ...b, chainId, seq: i + 1 };
    const leaf = leafHash(content);
    previous = chainHash(previous, leaf);
    return { ...content, leafHash: leaf.toString('hex'), chainHash: previous.toString('hex') };
  });
}

describe('audit hash chain', () => {
  it('splits the canonical text around seq exactly as RFC 8785 writes it, for any entry', () => {
    fc.assert(
      fc.property(body, fc.nat(), (b, seq) => {
        const { prefix, suffix } = canonicalAroundSeq(b);
        expect(prefix + String(seq) + suffix).toBe(canonicalEntry({ ...b, seq }));
      }),
    );
  });

  it('writes members sorted by key with no whitespace (RFC 8785)', () => {
    const text = canonicalEntry({
      chainId: 'c',
      seq: 7,
      at: '2026-01-01T00:00:00.000Z',
      actor: { role: 'owner', keyId: 'k1' },
      action: 'payment.created',
      subject: { paymentId: 'p' },
      data: { amount: 10, note: 'é' },
    });
    expect(text).toBe(
      '{"action":"payment.created","actor":{"keyId":"k1","role":"owner"},"at":"2026-01-01T00:00:00.000Z",' +
        '"chainId":"c","data":{"amount":10,"note":"é"},"seq":7,"subject":{"paymentId":"p"}}',
    );
  });

  it('starts each chain from a genesis derived from its id', () => {
    expect(genesisHash('shop-a').equals(sha256(GENESIS_DOMAIN + 'shop-a'))).toBe(true);
    expect(genesisHash('shop-a').equals(genesisHash('shop-b'))).toBe(false);
  });

  it('accepts an intact chain and names the first bad seq of an edited, deleted or swapped one', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(body, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        (chainId, bodies, pick) => {
          const entries = chainOf(chainId, bodies);
          expect(verifyChain(chainId, entries)).toEqual({
            valid: true,
            checked: entries.length,
            firstBadSeq: null,
          });
          const k = pick % entries.length;
          const edited = entries.map((e, i) => (i === k ? { ...e, action: `${e.action}x` } : e));
          expect(verifyChain(chainId, edited).firstBadSeq).toBe(k + 1);
          const deleted = entries.filter((_, i) => i !== k);
          expect(verifyChain(chainId, deleted).firstBadSeq).toBe(
            k === entries.length - 1 ? null : k + 1,
          );
          if (k + 1 < entries.length) {
            const swapped = [...entries];
            [swapped[k], swapped[k + 1]] = [swapped[k + 1]!, swapped[k]!];
            expect(verifyChain(chainId, swapped).firstBadSeq).toBe(k + 1);
          }
        },
      ),
    );
  });

  it("refuses another chain's entries", () => {
    const entries = chainOf('shop-a', [
      { chainId: 'shop-a', at: 'x', actor: {}, action: 'a', subject: {}, data: {} },
    ]);
    expect(verifyChain('shop-b', entries)).toEqual({ valid: false, checked: 0, firstBadSeq: 1 });
  });
});
