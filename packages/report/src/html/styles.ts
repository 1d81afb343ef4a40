/**
 * The report's stylesheet: readable at 1280×800, one column, printable (charts and flame
 * graphs keep their size, navigation and search boxes are hidden on paper).
 */
export const REPORT_CSS = `
:root { --fg: #1d2330; --muted: #5b6576; --line: #dde2ea; --bg: #fff; --panel: #f6f8fb; --ok: #1a7f37; --bad: #c62828; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { position: sticky; top: 0; z-index: 5; background: #1d2330; color: #fff; padding: 8px 24px; display: flex; gap: 18px; align-items: baseline; flex-wrap: wrap; }
header.top h1 { font-size: 17px; margin: 0; font-weight: 600; }
header.top nav a { color: #c9d4ff; text-decoration: none; margin-right: 12px; font-size: 13px; }
header.top nav a:hover { text-decoration: underline; }
main { max-width: 1240px; margin: 0 auto; padding: 12px 24px 48px; }
section { border-top: 1px solid var(--line); padding: 10px 0 18px; break-inside: avoid-page; }
h2 { font-size: 16px; margin: 6px 0 8px; }
h3 { font-size: 14px; margin: 12px 0 6px; color: var(--muted); font-weight: 600; }
p.summary { font-size: 15px; background: var(--panel); border-left: 4px solid #3f6fd8; padding: 8px 12px; margin: 10px 0; }
p.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 8px; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 10px; }
dl.identity { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 4px 0; font-size: 13px; }
dl.identity dt { color: var(--muted); }
dl.identity dd { margin: 0; word-break: break-word; }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
ul.messages { margin: 2px 0 10px; padding-left: 20px; font-size: 13px; }
ul.messages .msg { word-break: break-word; }
ul.warnings { margin: 4px 0; padding-left: 20px; color: var(--warn); }
.chart { width: 100%; min-height: 120px; margin: 4px 0 12px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 18px; }
.grid3 { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 0 14px; }
.flame { position: relative; margin: 4px 0 16px; }
.flame-bar { display: flex; gap: 8px; align-items: center; margin: 4px 0; }
.flame-bar input[type=search] { width: 320px; padding: 3px 6px; font: inherit; }
.flame-idle { color: var(--muted); font-size: 12.5px; display: flex; gap: 4px; align-items: center; }
.flame-bar button { font: inherit; padding: 2px 10px; }
.flame-status { color: var(--muted); font-size: 12.5px; }
.flame-canvas { display: block; cursor: pointer; }
.flame-tip { position: absolute; z-index: 4; max-width: 360px; white-space: pre-wrap; word-break: break-all; background: #1d2330; color: #fff; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; padding: 6px 8px; border-radius: 4px; pointer-events: none; }
.legend-diff .diff-up { background: rgb(240,65,65); color: #fff; }
.legend-diff .diff-down { background: rgb(65,65,240); color: #fff; }
.legend-diff span { display: inline-block; padding: 0 8px; margin-right: 6px; border-radius: 3px; font-size: 12px; }
details.req { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; padding: 4px 8px; }
details.req summary { cursor: pointer; font-size: 13px; }
.wf-row { display: grid; grid-template-columns: 340px 1fr 150px; gap: 8px; align-items: center; font-size: 12px; min-height: 18px; }
.wf-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; }
.wf-track { position: relative; height: 14px; background: var(--panel); }
.wf-bar { position: absolute; top: 2px; height: 10px; border-radius: 2px; }
.wf-request { background: #9aa5b8; }
.wf-span { background: #3f6fd8; }
.wf-error { background: var(--bad); }
.wf-time { font-size: 11px; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
@media (max-width: 900px) { .grid2, .grid3 { grid-template-columns: 1fr; } dl.identity { grid-template-columns: max-content 1fr; } }
@media print {
  header.top { position: static; background: none; color: #000; }
  header.top nav, .flame-bar input, .flame-bar button { display: none; }
  main { max-width: none; padding: 0; }
  section { break-inside: avoid; }
  /* Charts were drawn for the screen's width; paper scales them down instead of cutting them off. */
  .chart canvas, .flame-canvas { max-width: 100% !important; height: auto !important; }
  .uplot, .chart { width: auto !important; max-width: 100%; }
}
`;
