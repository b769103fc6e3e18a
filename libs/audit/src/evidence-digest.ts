import { canonicalize } from 'json-canonicalize';
import { sha256 } from './hash-chain';

/**
 * The SHA-256 (hex) of a piece of evidence, for an audit entry: the entry proves which evidence
 * a change rested on without holding it (a raw callback body carries the customer's phone).
 * Text (a raw body as received) is hashed as its UTF-8 bytes; anything else as RFC 8785 JSON.
 */
export function evidenceDigest(evidence: string | object): string {
  const text = typeof evidence === 'string' ? evidence : canonicalize(evidence);
  return sha256(Buffer.from(text, 'utf8')).toString('hex');
}
