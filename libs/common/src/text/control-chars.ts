/**
 * C0 and C1 control characters and DEL, except tab, line feed and carriage return. PostgreSQL
 * refuses NUL in text and jsonb, and none of the others belongs in an identifier, a name or a
 * Daraja field, so every boundary refuses them with one rule.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * The path (`a.b[2].c`) of the first string, or object key, holding a control character in a
 * parsed JSON value; undefined when there is none. Depth-bounded: the JSON parser bounds it too.
 */
export function findControlChars(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return hasControlChars(value) ? path || '(value)' : undefined;
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlChars(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const name = key.replace(CONTROL_ALL, '?');
    const at = path ? `${path}.${name}` : name;
    if (hasControlChars(key)) return at;
    const found = findControlChars(child, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}
