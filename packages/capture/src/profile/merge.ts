/**
 * Merging pprof profiles (pprof-format) into one per phase and kind: functions and locations
 * are re-interned by content, identical stacks with identical labels are summed. Names that
 * @pyroscope/nodejs rewrote to `<path>:<name>:<line>` (its processProfile) are restored to the
 * plain function name, since the file and line are already fields of the pprof Function.
 * pprof field semantics: github.com/google/pprof/blob/main/proto/profile.proto.
 */
import { HeadroomError } from '@headroom/core';
import { Profile, StringTable, Function as PFunction, Location, Line, Sample, Label, ValueType } from 'pprof-format';

/** The sample type names of a profile, in order. */
export function sampleTypeNames(p: Profile): string[] {
  return p.sampleType.map((t) => p.stringTable.strings[Number(t.type)] ?? '');
}

/** The `<name>` of a `<path>:<name>:<line>` that matches `file`, or the name unchanged. */
export function demangle(name: string, file: string): string {
  const m = /^(.*?):(\(anonymous[^)]*\)|[^:]*):(\d+)$/.exec(name);
  if (!m) return name;
  const prefix = m[1]!;
  const tail = prefix.replace(/^\.(?=[\\/])/, '');
  if (prefix !== file && !(tail.length > 1 && file.endsWith(tail))) return name;
  return m[2] || '(anonymous)';
}

/** Accumulates profiles of the same sample types into one. */
export class ProfileMerger {
  readonly out: Profile;
  private readonly strings: StringTable;
  private readonly fnIds = new Map<string, number>();
  private readonly locIds = new Map<string, number>();
  private readonly samples = new Map<string, Sample>();
  private readonly typeNames: string[];
  private startNanos = 0;
  private endNanos = 0;
  pushes = 0;

  constructor(first: Profile) {
    this.strings = new StringTable();
    const s = (i: unknown) => this.strings.dedup(first.stringTable.strings[Number(i)] ?? '');
    const vt = (t: ValueType) => new ValueType({ type: s(t.type), unit: s(t.unit) });
    this.typeNames = sampleTypeNames(first);
    this.out = new Profile({
      sampleType: first.sampleType.map(vt),
      stringTable: this.strings,
      period: Number(first.period),
      ...(first.periodType ? { periodType: vt(first.periodType) } : {}),
    });
    const cpu = this.typeNames.indexOf('cpu');
    if (cpu >= 0) this.out.defaultSampleType = this.strings.dedup('cpu');
  }

  /** True when `p` has the same sample types as the profiles merged so far. */
  accepts(p: Profile): boolean {
    const names = sampleTypeNames(p);
    return names.length === this.typeNames.length && names.every((n, i) => n === this.typeNames[i]);
  }

  /** Adds every sample of `p`. `p` must be {@link accepts | accepted}. */
  add(p: Profile): void {
    const st = p.stringTable.strings;
    const fnMap = new Map<number, number>();
    for (const f of p.function) {
      const file = st[Number(f.filename)] ?? '';
      const name = demangle(st[Number(f.name)] ?? '', file);
      const key = `${name}\0${file}\0${Number(f.startLine)}`;
      let id = this.fnIds.get(key);
      if (id === undefined) {
        id = this.out.function.length + 1;
        this.out.function.push(
          new PFunction({
            id,
            name: this.strings.dedup(name),
            systemName: this.strings.dedup(name),
            filename: this.strings.dedup(file),
            startLine: Number(f.startLine),
          }),
        );
        this.fnIds.set(key, id);
      }
      fnMap.set(Number(f.id), id);
    }
    const locMap = new Map<number, number>();
    for (const l of p.location) {
      const lines = l.line.map((ln) => ({ functionId: fnMap.get(Number(ln.functionId)) ?? 0, line: Number(ln.line) }));
      const key = lines.map((ln) => `${ln.functionId}:${ln.line}`).join(';') + `@${Number(l.address)}`;
      let id = this.locIds.get(key);
      if (id === undefined) {
        id = this.out.location.length + 1;
        this.out.location.push(new Location({ id, address: Number(l.address), line: lines.map((ln) => new Line(ln)) }));
        this.locIds.set(key, id);
      }
      locMap.set(Number(l.id), id);
    }
    for (const s of p.sample) {
      const locs = s.locationId.map((id) => locMap.get(Number(id)) ?? 0);
      const labels = s.label.map((l) => ({
        key: st[Number(l.key)] ?? '',
        str: st[Number(l.str)] ?? '',
        num: Number(l.num),
        unit: st[Number(l.numUnit)] ?? '',
      }));
      const key =
        locs.join(',') +
        '|' +
        labels
          .map((l) => `${l.key}=${l.str}#${l.num}${l.unit}`)
          .sort()
          .join(',');
      const existing = this.samples.get(key);
      if (existing) {
        for (let i = 0; i < existing.value.length; i++) existing.value[i] = Number(existing.value[i]) + Number(s.value[i] ?? 0);
        continue;
      }
      const sample = new Sample({
        locationId: locs,
        value: s.value.map(Number),
        label: labels.map(
          (l) =>
            new Label({
              key: this.strings.dedup(l.key),
              str: l.str ? this.strings.dedup(l.str) : 0,
              num: l.num,
              numUnit: l.unit ? this.strings.dedup(l.unit) : 0,
            }),
        ),
      });
      this.samples.set(key, sample);
      this.out.sample.push(sample);
    }
    const start = Number(p.timeNanos);
    const end = start + Number(p.durationNanos);
    if (start > 0 && (this.startNanos === 0 || start < this.startNanos)) this.startNanos = start;
    if (end > this.endNanos) this.endNanos = end;
    this.out.timeNanos = this.startNanos;
    this.out.durationNanos = Math.max(0, this.endNanos - this.startNanos);
    this.pushes++;
  }
}

/**
 * Merges profiles of the same sample types into one: equal functions, locations and strings
 * are stored once, samples with equal stacks and labels are summed, the time span covers all.
 * Throws E_PROFILE_MISMATCH when the list is empty or the sample types differ.
 */
export function mergeProfiles(profiles: readonly Profile[]): Profile {
  const [first] = profiles;
  if (first === undefined) throw new HeadroomError('E_PROFILE_MISMATCH', 'no profiles to merge');
  const merger = new ProfileMerger(first);
  for (const p of profiles) {
    if (!merger.accepts(p)) {
      throw new HeadroomError(
        'E_PROFILE_MISMATCH',
        `cannot merge a profile of sample types [${sampleTypeNames(p).join(', ')}] into [${sampleTypeNames(first).join(', ')}]`,
      );
    }
    merger.add(p);
  }
  return merger.out;
}
