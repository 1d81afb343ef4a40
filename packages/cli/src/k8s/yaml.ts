/**
 * A YAML writer for the plain data of a Kubernetes manifest: maps, lists, strings, numbers,
 * booleans. A string is written plain only when it is a name-like word no YAML reader takes
 * for anything else; every other string is double-quoted with JSON's escapes (a YAML
 * double-quoted scalar is a superset of a JSON string), so "0", "true", "1/4" or "no" stay
 * strings.
 */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

/** `value` as a YAML document (block style, two-space indent, keys in insertion order). */
export function toYaml(value: YamlValue): string {
  return `${block(value, '').join('\n')}\n`;
}

/** Words YAML 1.1 readers (Kubernetes' among them) take for booleans or null when unquoted. */
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

function scalar(v: string | number | boolean | null): string {
  if (typeof v !== 'string') return String(v);
  // A name-like word reads back as itself in YAML 1.1 and 1.2 alike; anything else is quoted.
  return /^[A-Za-z][A-Za-z0-9._/-]*$/.test(v) && !RESERVED.has(v.toLowerCase()) ? v : JSON.stringify(v);
}

function isEmpty(v: YamlValue): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}

/** The lines of `v` at `indent`; a scalar is one line without a key. */
function block(v: YamlValue, indent: string): string[] {
  if (v === null || typeof v !== 'object') return [`${indent}${scalar(v)}`];
  if (isEmpty(v)) return [`${indent}${Array.isArray(v) ? '[]' : '{}'}`];
  if (Array.isArray(v)) {
    return (v as readonly YamlValue[]).flatMap((item) => {
      const lines = block(item, `${indent}  `);
      // "- " takes the place of the item's first two indent characters.
      return [`${indent}- ${(lines[0] as string).slice(indent.length + 2)}`, ...lines.slice(1)];
    });
  }
  return Object.entries(v).flatMap(([key, item]) => {
    if (item === undefined) return [];
    const k = /^[A-Za-z_][\w.\-/]*$/.test(key) ? key : JSON.stringify(key);
    if (item === null || typeof item !== 'object' || isEmpty(item)) return [`${indent}${k}: ${block(item, '')[0] as string}`];
    return [`${indent}${k}:`, ...block(item, Array.isArray(item) ? indent : `${indent}  `)];
  });
}
