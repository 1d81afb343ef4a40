/**
 * Flame graphs from pprof profiles: stacks merged into a tree by function (name and file),
 * flattened in pre-order so the browser lays frames out without recursion. pprof's stacks are
 * leaf first and a location's `line` list is innermost (inlined) first, the caller last
 * (github.com/google/pprof/blob/main/proto/profile.proto), so both are walked backwards.
 */
import type { Profile } from 'pprof-format';
import type { FlameGraph } from './report-data.ts';

interface Node {
  key: number;
  total: number;
  self: number;
  bTotal: number;
  bSelf: number;
  children: Map<number, Node>;
}

/** Interned function names, shared by the two sides of a differential flame graph. */
export class FrameNames {
  readonly names: string[] = [];
  readonly files: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string, file: string, line: number): number {
    const k = `${name}\0${file}`;
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(k, id);
      this.names.push(name);
      this.files.push(file && line > 0 ? `${file}:${line}` : file);
    }
    return id;
  }
}

/** Which samples of a profile make a flame graph. */
export interface FlameSource {
  profile: Profile;
  /** Index of the pprof sample type to draw. */
  typeIndex: number;
  /** Keep only samples labelled `span_id` with one of these (lower-case) ids: the trace–profile join. */
  spanIds?: ReadonlySet<string>;
}

/** What a flame graph is called and how much detail it keeps. */
export interface FlameGraphOptions {
  id: string;
  title: string;
  phase: string;
  /** headroom's name of the sample type ('cpu', 'wall', 'heap'). */
  type: string;
  /** Frames under this share of the total are left out (their time stays in the parent's width). @default 0.0001 */
  minShare?: number;
}

/** Defaults of {@link FlameGraphOptions}. */
export const FLAME_GRAPH_DEFAULTS = { minShare: 0.0001 } as const;

function newNode(key: number): Node {
  return { key, total: 0, self: 0, bTotal: 0, bSelf: 0, children: new Map() };
}

/** Adds a profile's samples into the tree under `root`, on the candidate or the baseline side. */
function addSamples(root: Node, src: FlameSource, names: FrameNames, side: 'a' | 'b'): number {
  const p = src.profile;
  const st = p.stringTable.strings;
  const fnById = new Map(p.function.map((f) => [Number(f.id), f]));
  const locById = new Map(p.location.map((l) => [Number(l.id), l]));
  const fnKey = new Map<number, number>();
  const keyOf = (fnId: number): number => {
    let k = fnKey.get(fnId);
    if (k === undefined) {
      const f = fnById.get(fnId);
      k = f
        ? names.id(st[Number(f.name)] || '(anonymous)', st[Number(f.filename)] ?? '', Number(f.startLine))
        : names.id('(unknown)', '', 0);
      fnKey.set(fnId, k);
    }
    return k;
  };
  const spanKey = src.spanIds ? st.indexOf('span_id') : -1;
  let sum = 0;
  for (const s of p.sample) {
    const v = Number(s.value[src.typeIndex] ?? 0);
    if (v === 0) continue;
    if (src.spanIds) {
      const label = s.label.find((l) => Number(l.key) === spanKey);
      if (!label || !src.spanIds.has((st[Number(label.str)] ?? '').toLowerCase())) continue;
    }
    sum += v;
    let node = root;
    for (let i = s.locationId.length - 1; i >= 0; i--) {
      const lines = locById.get(Number(s.locationId[i]))?.line ?? [];
      for (let j = lines.length - 1; j >= 0; j--) {
        const key = keyOf(Number(lines[j]!.functionId));
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = newNode(key)));
        if (side === 'a') child.total += v;
        else child.bTotal += v;
        node = child;
      }
    }
    if (node !== root) {
      if (side === 'a') node.self += v;
      else node.bSelf += v;
    }
  }
  return sum;
}

/** Flattens the tree in pre-order, widest child first, and keeps only the names used. */
function flatten(
  root: Node,
  names: FrameNames,
  sum: number,
  bSum: number,
  options: FlameGraphOptions,
  unit: string,
  diff: boolean,
): FlameGraph {
  const minShare = options.minShare ?? FLAME_GRAPH_DEFAULTS.minShare;
  const share = (n: Node) => (sum > 0 ? n.total / sum : 0) + (diff && bSum > 0 ? n.bTotal / bSum : 0);
  const g: FlameGraph = {
    id: options.id,
    title: options.title,
    phase: options.phase,
    type: options.type,
    unit,
    names: [],
    files: [],
    name: [],
    depth: [],
    total: [],
    self: [],
    sum,
  };
  const base = diff ? { total: [] as number[], self: [] as number[], sum: bSum, runId: '' } : null;
  const used = new Map<number, number>();
  const walk = (n: Node, depth: number): void => {
    const kids = [...n.children.values()].sort((a, b) => share(b) - share(a));
    for (const c of kids) {
      if (share(c) < minShare * (diff ? 2 : 1)) continue;
      let id = used.get(c.key);
      if (id === undefined) {
        id = g.names.length;
        used.set(c.key, id);
        g.names.push(names.names[c.key]!);
        g.files.push(names.files[c.key]!);
      }
      g.name.push(id);
      g.depth.push(depth);
      g.total.push(c.total);
      g.self.push(c.self);
      if (base) {
        base.total.push(c.bTotal);
        base.self.push(c.bSelf);
      }
      walk(c, depth + 1);
    }
  };
  walk(root, 0);
  if (base) g.baseline = base;
  return g;
}

function unitOf(src: FlameSource): string {
  const p = src.profile;
  return p.stringTable.strings[Number(p.sampleType[src.typeIndex]?.unit)] ?? '';
}

/** The flame graph of one sample type of one or more profiles (summed); null when no sample has a value. */
export function flameGraphOf(src: FlameSource | readonly FlameSource[], options: FlameGraphOptions): FlameGraph | null {
  const srcs = Array.isArray(src) ? src : [src as FlameSource];
  const names = new FrameNames();
  const root = newNode(-1);
  let sum = 0;
  for (const s of srcs) sum += addSamples(root, s, names, 'a');
  return sum === 0 || !srcs[0] ? null : flatten(root, names, sum, 0, options, unitOf(srcs[0]), false);
}

/**
 * A differential flame graph: one tree of both profiles, each frame with the candidate's and the
 * baseline's value. Widths are the mean of the two sides' shares and colours the change of a
 * frame's share of its side's total, as Pyroscope's diff view does (both sides normalised, so a
 * longer run is not "slower"). Null when either side is empty.
 */
export function diffFlameGraphOf(
  candidate: FlameSource,
  baseline: FlameSource,
  baselineRunId: string,
  options: FlameGraphOptions,
): FlameGraph | null {
  const names = new FrameNames();
  const root = newNode(-1);
  const sum = addSamples(root, candidate, names, 'a');
  const bSum = addSamples(root, baseline, names, 'b');
  if (sum === 0 || bSum === 0) return null;
  const g = flatten(root, names, sum, bSum, options, unitOf(candidate), true);
  g.baseline!.runId = baselineRunId;
  return g;
}
