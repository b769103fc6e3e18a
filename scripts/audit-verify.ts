import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkpointKeysOf,
  type CheckpointKeys,
  type SignedCheckpoint,
} from '@malipo/audit/checkpoint';
import { verifyExport } from '@malipo/audit/audit-export';
import { parseEd25519PublicKey } from '@malipo/common/crypto/ed25519-keys';

const USAGE =
  'usage: npm run audit:verify -- <export.jsonl> [--key <public key: file or base64>]... ' +
  '[--checkpoints <checkpoints.jsonl>]\n';

/**
 * Offline verifier of an audit export (GET /v1/audit/export):
 *   npm run audit:verify -- export.jsonl --key malipo-audit.pem --checkpoints my-checkpoints.jsonl
 * `--key` (repeatable): Malipo's checkpoint public key as the shop keeps it (GET
 * /v1/audit/public-key: the PEM in a file, or the raw key's base64). `--checkpoints`: JSON lines
 * of checkpoints the shop kept itself (audit.checkpoint webhook bodies or their `data`).
 * Prints the verdict as JSON; exits 1 when the chain or a checkpoint is bad, 2 on bad usage.
 * Needs nothing but the files and libs/audit (no database, no network).
 */
function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: 'string', multiple: true },
        checkpoints: { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file] = parsed.positionals;
  if (!file) {
    process.stderr.write(USAGE);
    return 2;
  }
  const keyTexts = parsed.values.key ?? [];
  const keys: CheckpointKeys | undefined = keyTexts.length
    ? checkpointKeysOf(keyTexts.map(readKey))
    : undefined;
  const kept = parsed.values.checkpoints
    ? readLines(parsed.values.checkpoints).map(keptCheckpoint)
    : [];
  const verdict = verifyExport(readLines(file), { keys, checkpoints: kept });
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  if (verdict.checkpointsUnverified > 0) {
    process.stderr.write(
      `${verdict.checkpointsUnverified} checkpoint(s) not verified: pass --key (GET /v1/audit/public-key)\n`,
    );
  }
  return verdict.valid ? 0 : 1;
}

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

const readKey = (text: string) =>
  parseEd25519PublicKey(existsSync(text) ? readFileSync(text, 'utf8') : text);

/** A checkpoint as the shop kept it: the webhook body ({ type, data }) or the checkpoint itself. */
function keptCheckpoint(line: string): SignedCheckpoint {
  const value = JSON.parse(line) as { type?: string; data?: SignedCheckpoint } & SignedCheckpoint;
  const cp = value.type === 'audit.checkpoint' && value.data ? value.data : value;
  const { chainId, seq, headHash, at, keyId, signature } = cp;
  return { chainId, seq, headHash, at, keyId, signature };
}

process.exitCode = main(process.argv.slice(2));
