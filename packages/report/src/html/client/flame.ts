/// <reference lib="dom" />
/**
 * A canvas flame graph (icicle layout, callers on top, as Pyroscope draws it): click a frame
 * to zoom into it (its ancestors stay as full-width bars; click one, or "Reset", to zoom out),
 * search by substring or regex to highlight matches and see their share of the total, hover
 * for self and total. A differential graph (with a baseline) sizes frames by the mean of both
 * sides' shares and colours them by the change of share: red grew (slower), blue shrank.
 * One canvas instead of an SVG element per frame keeps thousands of frames fast and small.
 */
import type { FlameGraph } from '../../data/report-data.ts';
import { fmtPct, fmtUnit } from './format.ts';
import { registry, type FlameState } from './registry.ts';

const ROW = 18;

interface Layout {
  x: Float64Array;
  w: Float64Array;
  depth: Int32Array;
  parent: Int32Array;
  maxDepth: number;
}

/** Frame 0 is the synthetic root "all"; frame i+1 is the graph's frame i. */
function layout(g: FlameGraph): Layout {
  const n = g.name.length + 1;
  const x = new Float64Array(n),
    w = new Float64Array(n),
    cursor = new Float64Array(n);
  const depth = new Int32Array(n),
    parent = new Int32Array(n);
  const b = g.baseline;
  w[0] = 1;
  parent[0] = -1;
  const last: number[] = [0];
  let maxDepth = 0;
  for (let i = 0; i < g.name.length; i++) {
    const j = i + 1;
    const d = g.depth[i]! + 1;
    const p = last[d - 1] ?? 0;
    const share = b ? (g.total[i]! / g.sum + b.total[i]! / b.sum) / 2 : g.total[i]! / g.sum;
    parent[j] = p;
    depth[j] = d;
    w[j] = share;
    x[j] = x[p]! + cursor[p]!;
    cursor[p] = cursor[p]! + share;
    last[d] = j;
    last.length = d + 1;
    if (d > maxDepth) maxDepth = d;
  }
  return { x, w, depth, parent, maxDepth };
}

function hue(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return h;
}

/** Mounts an interactive flame graph of `g` into `el`. */
export function mountFlame(el: HTMLElement, g: FlameGraph): void {
  const idle = idleRoot(g);
  let hideIdle = idle >= 0;
  let G = hideIdle ? without(g, idle) : g;
  let L = layout(G);
  let n = G.name.length + 1;
  const nameOf = (j: number) => (j === 0 ? 'all' : (G.names[G.name[j - 1]!] ?? ''));
  const state: FlameState = { frames: G.name.length, drawn: 0, zoomedTo: null, matches: 0, highlighted: 0 };
  registry.flames[g.id] = state;

  const bar = document.createElement('div');
  bar.className = 'flame-bar';
  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'Search functions (text or /regex/)';
  search.setAttribute('aria-label', `search ${g.title}`);
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.textContent = 'Reset zoom';
  const status = document.createElement('span');
  status.className = 'flame-status';
  bar.append(search, reset);
  if (idle >= 0) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = hideIdle;
    box.addEventListener('change', () => {
      hideIdle = box.checked;
      G = hideIdle ? without(g, idle) : g;
      L = layout(G);
      n = G.name.length + 1;
      zoom = 0;
      matched = new Uint8Array(n);
      searching = false;
      search.value = '';
      status.textContent = '';
      state.frames = G.name.length;
      draw();
    });
    label.append(box, ` hide (idle): ${fmtPct(g.total[idle]! / g.sum)} of the total, time the JS thread was waiting`);
    label.className = 'flame-idle';
    bar.append(label);
  }
  bar.append(status);
  const canvas = document.createElement('canvas');
  canvas.className = 'flame-canvas';
  const tip = document.createElement('div');
  tip.className = 'flame-tip';
  tip.hidden = true;
  el.append(bar, canvas, tip);

  let zoom = 0;
  let matched = new Uint8Array(n);
  let searching = false;
  let diffScale = 0.01;
  if (G.baseline) {
    for (let i = 0; i < G.name.length; i++)
      diffScale = Math.max(diffScale, Math.abs(G.total[i]! / G.sum - G.baseline.total[i]! / G.baseline.sum));
  }

  const isAncestorOfZoom = (j: number): boolean => {
    for (let k = zoom; k >= 0; k = L.parent[k]!) if (k === j) return true;
    return false;
  };

  const colour = (j: number): string => {
    if (searching) return matched[j] ? '#d81b9a' : '#d9d9d9';
    if (j === 0) return '#b0b7c3';
    if (G.baseline) {
      const i = j - 1;
      const d = G.total[i]! / G.sum - G.baseline.total[i]! / G.baseline.sum;
      const t = Math.min(1, Math.abs(d) / diffScale);
      const c = Math.round(235 - 170 * t);
      return d >= 0 ? `rgb(240,${c},${c})` : `rgb(${c},${c},240)`;
    }
    const h = hue(nameOf(j));
    const file = G.files[G.name[j - 1]!] ?? '';
    if (file.startsWith('node:') || file === '') return `hsl(${200 + (h % 30)},35%,${70 + (h % 10)}%)`;
    return `hsl(${(h % 45) + 5},${70 + (h % 20)}%,${58 + (h % 12)}%)`;
  };

  /** Screen x and width (CSS px) of frame j in the current zoom; null when not drawn. */
  const box = (j: number, width: number): [number, number] | null => {
    if (isAncestorOfZoom(j) && j !== zoom) return [0, width];
    const x0 = L.x[zoom]!,
      w0 = L.w[zoom]!;
    if (L.depth[j]! < L.depth[zoom]! || L.x[j]! + 1e-12 < x0 || L.x[j]! >= x0 + w0 - 1e-12) return null;
    return [((L.x[j]! - x0) / w0) * width, (L.w[j]! / w0) * width];
  };

  const draw = (): void => {
    const width = Math.max(320, el.clientWidth);
    const height = (L.maxDepth + 1) * ROW + 2;
    const r = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * r);
    canvas.height = Math.round(height * r);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    let drawn = 0,
      highlighted = 0;
    for (let j = 0; j < n; j++) {
      const bx = box(j, width);
      if (!bx || bx[1] < 0.4) continue;
      const y = L.depth[j]! * ROW;
      ctx.fillStyle = colour(j);
      ctx.fillRect(bx[0], y, Math.max(0.4, bx[1] - 0.5), ROW - 1);
      drawn++;
      if (searching && matched[j]) highlighted++;
      if (bx[1] > 24) {
        const label = nameOf(j);
        const room = Math.floor((bx[1] - 6) / 7.2);
        ctx.fillStyle = '#1b1b1b';
        ctx.fillText(label.length > room ? `${label.slice(0, Math.max(0, room - 1))}…` : label, bx[0] + 3, y + ROW / 2);
      }
    }
    state.drawn = drawn;
    state.highlighted = highlighted;
    state.zoomedTo = zoom === 0 ? null : nameOf(zoom);
  };

  const hit = (ev: MouseEvent): number => {
    const rect = canvas.getBoundingClientRect();
    const px = ev.clientX - rect.left,
      depth = Math.floor((ev.clientY - rect.top) / ROW);
    for (let j = 0; j < n; j++) {
      if (L.depth[j] !== depth) continue;
      const bx = box(j, rect.width);
      if (bx && px >= bx[0] && px < bx[0] + bx[1]) return j;
    }
    return -1;
  };

  const describe = (j: number): string => {
    if (j === 0) return `all: ${fmtUnit(G.sum, G.unit)}`;
    const i = j - 1;
    const lines = [
      nameOf(j),
      G.files[G.name[i]!] ?? '',
      `total ${fmtUnit(G.total[i]!, G.unit)} (${fmtPct(G.total[i]! / G.sum)})  self ${fmtUnit(G.self[i]!, G.unit)} (${fmtPct(G.self[i]! / G.sum)})`,
    ];
    if (G.baseline) {
      const b = G.baseline;
      lines.push(
        `baseline total ${fmtPct(b.total[i]! / b.sum)} → ${fmtPct(G.total[i]! / G.sum)}, self ${fmtPct(b.self[i]! / b.sum)} → ${fmtPct(G.self[i]! / G.sum)}`,
      );
    }
    return lines.filter(Boolean).join('\n');
  };

  canvas.addEventListener('mousemove', (ev) => {
    const j = hit(ev);
    if (j < 0) {
      tip.hidden = true;
      return;
    }
    tip.textContent = describe(j);
    tip.hidden = false;
    const rect = el.getBoundingClientRect();
    tip.style.left = `${Math.min(ev.clientX - rect.left + 12, rect.width - 360)}px`;
    tip.style.top = `${ev.clientY - rect.top + 16}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });
  canvas.addEventListener('click', (ev) => {
    const j = hit(ev);
    if (j < 0) return;
    zoom = j;
    draw();
  });
  reset.addEventListener('click', () => {
    zoom = 0;
    draw();
  });
  search.addEventListener('input', () => {
    const q = search.value.trim();
    searching = q.length > 0;
    matched = new Uint8Array(n);
    if (searching) {
      let re: RegExp;
      const m = /^\/(.+)\/([a-z]*)$/.exec(q);
      try {
        re = m ? new RegExp(m[1]!, m[2]!.includes('i') ? 'i' : '') : new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      } catch {
        re = /$^/;
      }
      for (let j = 1; j < n; j++) if (re.test(nameOf(j))) matched[j] = 1;
    }
    // Share of the total under matched frames, counting nested matches once (as d3-flame-graph does).
    let count = 0,
      share = 0;
    for (let j = 1; j < n; j++) {
      if (!matched[j]) continue;
      count++;
      let k = L.parent[j]!,
        nested = false;
      for (; k > 0; k = L.parent[k]!)
        if (matched[k]) {
          nested = true;
          break;
        }
      if (!nested) share += G.total[j - 1]! / G.sum;
    }
    state.matches = count;
    status.textContent = searching ? `${count} frame${count === 1 ? '' : 's'} match, ${fmtPct(share)} of the total` : '';
    draw();
  });
  window.addEventListener('resize', draw);
  draw();
}

/** Index of the root frame "(idle)" (V8's name for time the thread waited), or -1. */
function idleRoot(g: FlameGraph): number {
  for (let i = 0; i < g.name.length; i++) if (g.depth[i] === 0 && g.names[g.name[i]!] === '(idle)') return i;
  return -1;
}

/** `g` without the subtree of root frame `root`; shares are then of the remaining total. */
function without(g: FlameGraph, root: number): FlameGraph {
  let end = root + 1;
  while (end < g.name.length && g.depth[end]! > 0) end++;
  const cut = <T>(a: T[]) => [...a.slice(0, root), ...a.slice(end)];
  const out: FlameGraph = {
    ...g,
    name: cut(g.name),
    depth: cut(g.depth),
    total: cut(g.total),
    self: cut(g.self),
    sum: g.sum - g.total[root]!,
  };
  if (g.baseline)
    out.baseline = {
      ...g.baseline,
      total: cut(g.baseline.total),
      self: cut(g.baseline.self),
      sum: g.baseline.sum - g.baseline.total[root]!,
    };
  return out;
}
