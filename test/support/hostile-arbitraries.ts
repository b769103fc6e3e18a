import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ROOT } from './processes';

/** Strings an attacker, a buggy till or a fat finger sends. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 10 }).map((t) => `${t}\u0000${t}`) },
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u202e',
      '\u200f',
      'a',
      '٣',
      '𝕏',
      '"',
      '\\',
      '%',
      '/',
      '.',
      ' ',
    ),
    maxLength: 30,
  }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '2026-13-45',
    '2026-02-30',
    '0000-00-00',
    '275760-09-13',
    '2026-11-01T25:61:00Z',
    '1e309',
    '-1',
    '0xA',
    'NaN',
    '../../etc/passwd',
    "' or 1=1 --",
    '${7*7}',
    '',
  ),
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000, 40_000).map((n) => 'x'.repeat(n)) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1.5, 10.004, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 250_001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, weighted towards the shapes that break servers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** What replaces one field: mostly a hostile string (they reach the database), or any value. */
const hostileField = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileValue },
);

/** Prototype-pollution payloads, spliced into the JSON text (an object literal would eat them). */
export const pollution = fc.constantFrom(
  '',
  '',
  '',
  '"__proto__":{"polluted":true,"status":"succeeded"}',
  '"constructor":{"prototype":{"polluted":true}}',
  '"__proto__":[]',
);

export function withPollution(json: string, extra: string): string {
  if (!extra || !json.startsWith('{')) return json;
  return json === '{}' ? `{${extra}}` : `{${extra},${json.slice(1)}`;
}

export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
  example?: unknown;
  items?: JsonSchema;
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
}

/** A plausible value for a field (so that validation gets past it), by schema, then by name. */
export function plausible(name: string, schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.example !== undefined) return fc.constant(schema.example);
  if (schema.format === 'uuid' || /Id$/.test(name)) return fc.uuid();
  if (/^(from|date)$/.test(name)) return fc.constant('2026-11-01');
  if (name === 'to') return fc.constant('2026-11-02');
  if (schema.format === 'date-time') return fc.constant(new Date().toISOString());
  if (name === 'phone') return fc.constant('0712345678');
  if (schema.type === 'integer' || schema.type === 'number') {
    return fc.integer({ min: schema.minimum ?? 1, max: Math.min(schema.maximum ?? 100, 100) });
  }
  if (schema.type === 'boolean') return fc.boolean();
  if (schema.type === 'array') {
    return fc.array(plausible(name, schema.items ?? {}), { minLength: 1, maxLength: 2 });
  }
  return fc.string({ minLength: 1, maxLength: 12 });
}

/**
 * A plausible record with zero to two of its fields made hostile (one bad field at a time is how
 * a bad field reaches the database), sometimes with unknown fields too.
 */
export function mutatedRecord(
  fields: [string, JsonSchema][],
  required: string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const base = fc.record(Object.fromEntries(fields.map(([k, s]) => [k, plausible(k, s)])), {
    requiredKeys: required.filter((k) => fields.some(([f]) => f === k)),
  });
  const names = fields.map(([k]) => k);
  const mutation = names.length
    ? fc.array(fc.tuple(fc.constantFrom(...names), hostileField), { minLength: 1, maxLength: 2 })
    : fc.constant([]);
  const dropped = names.length ? fc.subarray(names, { maxLength: 1 }) : fc.constant([]);
  const unknown = fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.dictionary(hostileString, hostileValue, { maxKeys: 2 }) },
  );
  return fc.tuple(base, mutation, dropped, unknown).map(([b, m, d, u]) => {
    const out: Record<string, unknown> = { ...u, ...b, ...Object.fromEntries(m) };
    for (const k of d) delete out[k];
    return out;
  });
}

/** Bodies for a request schema: a mutated record, polluted or not, or a wrong shape entirely. */
export function hostileBody(
  schema: JsonSchema | undefined,
  components: Record<string, JsonSchema>,
): fc.Arbitrary<string | undefined> {
  const resolved = schema?.$ref ? components[schema.$ref.split('/').pop() ?? ''] : schema;
  const object = fc
    .tuple(mutatedRecord(Object.entries(resolved?.properties ?? {}), resolved?.required), pollution)
    .map(([record, extra]) => withPollution(JSON.stringify(record), extra));
  return fc.oneof(
    { weight: 8, arbitrary: object },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', '{', '{"a":', 'null', '[{}]') },
  );
}

/** Every error code docs/api.md documents (its Errors section), for the fuzz suites to check. */
export function documentedErrorCodes(): Set<string> {
  const readme = readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  const start = readme.indexOf('## Errors');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return new Set([...section.matchAll(/`([A-Z][A-Z_]*(?:\.[A-Z][A-Z_]*)+)`/g)].map((m) => m[1]));
}
