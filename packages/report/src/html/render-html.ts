/**
 * `renderHtmlReport`: one self-contained HTML file. Script, styles and data are inline; a
 * Content-Security-Policy allows only the page's own script and stylesheet (by hash) and
 * forbids every fetch, image, font, frame and form target, so the file opens from file://
 * and makes no network request of any kind.
 */
import { createHash } from 'node:crypto';
import type { ReportData } from '../data/report-data.ts';
import { clientBundle } from './bundle.ts';
import { chartSections, detailSections } from './chart-sections.ts';
import { html, jsonForScript, rawHtml, type SafeHtml } from './escape.ts';
import { gatesSection, identitySection, warningsSection } from './run-sections.ts';
import { REPORT_CSS } from './styles.ts';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy of a report whose only script and stylesheet are `js` and `css`. */
export function reportCsp(js: string, css: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const NAV: [string, string][] = [
  ['run', 'Run'],
  ['warnings', 'Warnings'],
  ['gates', 'Gates'],
  ['red', 'Over time'],
  ['requests', 'By name'],
  ['flows', 'Flows'],
  ['checks', 'Checks'],
  ['spectrum', 'Spectrum'],
  ['capacity', 'Capacity'],
  ['resources', 'Resources'],
  ['trend', 'Trend'],
  ['flames', 'Flame graphs'],
  ['traces', 'Slowest requests'],
  ['bench', 'Benchmarks'],
];

/** The report as one HTML document. */
export function renderHtmlReport(data: ReportData): string {
  const bundle = clientBundle();
  // `</style` cannot occur in esbuild's CSS output, and `</script` not in its JS (it escapes it in strings).
  const css = `${REPORT_CSS}\n${bundle.css}`;
  const js = bundle.js;
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) throw new Error('report bundle contains a closing tag; it cannot be inlined');
  const sections: SafeHtml[] = [
    identitySection(data),
    warningsSection(data),
    gatesSection(data),
    ...chartSections(data),
    ...detailSections(data),
  ].filter((s): s is SafeHtml => s !== null);
  const present = new Set(sections.map((s) => /<section id="([^"]+)"/.exec(s.value)?.[1]));
  const r = data.run;
  const title = `headroom · ${r.scenario} · ${r.id}`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp(js, css)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${rawHtml(css)}</style>
</head><body>
<header class="top"><h1>headroom report · ${r.scenario}</h1><nav>${NAV.filter(([id]) => present.has(id)).map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav></header>
<main>
${sections}
<p class="note">Generated ${data.generatedAt} by headroom${r.version ? ` ${r.version}` : ''}. Self-contained: no network requests.</p>
</main>
<script type="application/json" id="headroom-data">${rawHtml(jsonForScript(data))}</script>
<script>${rawHtml(js)}</script>
</body></html>
`;
  return page.value;
}
