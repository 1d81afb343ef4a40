/**
 * Escaping for the HTML report. Markup is built only with the `html` template tag, which
 * escapes every interpolated value unless it is already `SafeHtml` (made by `html` itself), so
 * a scenario named `<img src=x onerror=alert(1)>` is text wherever it appears. Data for the
 * page's script travels as JSON in a `<script type="application/json">` block.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Markup that is already safe: only `html` and `rawHtml` make it. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** What `html` accepts between its literal parts. */
export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function part(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return escapeHtml(String(v));
}

/** Template tag: literal parts are markup, interpolations are escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += part(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted markup made by headroom itself (the bundled script and styles); never user text. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * JSON for a `<script type="application/json">` block: `<` is written as `\u003c`, so neither
 * `</script` nor `<!--` can end or change the block, and U+2028/U+2029 are escaped so the text
 * is also a valid JavaScript string literal (JSON allows them raw, JS before ES2019 did not).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
