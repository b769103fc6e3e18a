import { readFileSync } from 'node:fs';
import { verifyExport } from '@malipo/audit/audit-export';

/**
 * Offline verifier of an audit export (GET /v1/audit/export):
 *   npm run audit:verify -- export.jsonl
 * Prints the verdict as JSON; exits 1 when the chain is broken, 2 on bad usage. Needs nothing
 * but the file and libs/audit (no database, no network).
 */
function main(argv: string[]): number {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: npm run audit:verify -- <export.jsonl>\n');
    return 2;
  }
  const verdict = verifyExport(readFileSync(file, 'utf8').split('\n'));
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  return verdict.valid ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
