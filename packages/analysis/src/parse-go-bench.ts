/**
 * Go's benchmark text format, as `go test -bench` prints it and benchstat reads it
 * (format spec: golang.org/design/14313-benchmark-format):
 *
 *   goos: linux
 *   pkg: example.com/foo
 *   BenchmarkEncode/small-8   1000000   1234 ns/op   56 B/op   2 allocs/op
 *
 * Config lines are `key: value` with a lower-case key. A result line is the name, the
 * iteration count, then value/unit pairs. Each line is one run; repeated lines of a
 * benchmark are its repeated runs (`-count=10`). The "Benchmark" prefix is dropped from names,
 * and so is the trailing -N GOMAXPROCS suffix where a benchmark ran at one GOMAXPROCS only (so
 * files from hosts with other core counts still pair up). A benchmark run at several
 * (`go test -cpu 4,8`) keeps its suffixes: are different measurements, as they are
 * for benchstat (whose rows are full names, GOMAXPROCS included). Every unit becomes its own
 * SampleSet. Other lines (PASS, ok, test output) are ignored.
 */
import { ValidationError, type ValidationIssue } from '@headroom/core';
import type { SampleSet } from './sample-set.ts';

const CONFIG_RE = /^([a-z][^\s:]*):\s*(.*)$/;
const RESULT_RE = /^Benchmark(\S*)\s+(.*)$/;

/** Parses Go benchmark output into one SampleSet per unit (ns/op, B/op, allocs/op, MB/s …). */
export function parseGoBench(text: string, name: string): SampleSet[] {
  const issues: ValidationIssue[] = [];
  const byUnit = new Map<string, Map<string, number[]>>();
  const pkgs = new Set<string>();
  let pkg = '';
  const rows: { pkg: string; bench: string; procs: string; unit: string; value: number }[] = [];
  const procsOf = new Map<string, Set<string>>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const where = `line ${i + 1}`;
    const cfg = CONFIG_RE.exec(line);
    if (cfg) {
      if (cfg[1] === 'pkg') pkg = (cfg[2] ?? '').trim();
      return;
    }
    const m = RESULT_RE.exec(line);
    if (!m) return;
    const full = m[1] ?? '';
    const procs = /-\d+$/.exec(full)?.[0] ?? '';
    const bench = full.slice(0, full.length - procs.length);
    const fields = (m[2] ?? '').trim().split(/\s+/);
    if (bench === '' || (bench[0] !== undefined && /[a-z]/.test(bench[0]))) return; // "Benchmarking…" prose, not a result
    if (!/^\d+$/.test(fields[0] ?? '')) {
      issues.push({
        path: where,
        message: `expected the iteration count after ${JSON.stringify('Benchmark' + (m[1] ?? ''))}, got ${JSON.stringify(fields[0] ?? '')}`,
        hint: 'result lines look like "BenchmarkFoo-8  1000000  1234 ns/op"',
      });
      return;
    }
    const pairs = fields.slice(1);
    if (pairs.length === 0 || pairs.length % 2 !== 0) {
      issues.push({
        path: where,
        message: `expected value/unit pairs after the iteration count, got ${JSON.stringify(pairs.join(' '))}`,
        hint: 'e.g. "1234 ns/op  56 B/op"',
      });
      return;
    }
    for (let p = 0; p < pairs.length; p += 2) {
      const value = Number(pairs[p]);
      const unit = pairs[p + 1] as string;
      if (!Number.isFinite(value) || (pairs[p] as string).trim() === '') {
        issues.push({ path: where, message: `expected a number before unit ${JSON.stringify(unit)}, got ${JSON.stringify(pairs[p])}` });
        continue;
      }
      rows.push({ pkg, bench, procs, unit, value });
      pkgs.add(pkg);
      const k = `${pkg}\0${bench}`;
      if (!procsOf.has(k)) procsOf.set(k, new Set());
      procsOf.get(k)!.add(procs);
    }
  });
  if (issues.length > 0) throw new ValidationError(name, issues);
  if (rows.length === 0) {
    throw new ValidationError(name, [
      {
        path: '(file)',
        message: 'no benchmark result lines found',
        hint: 'expected JSON {"unit": "ns/op", "benchmarks": {...}} or `go test -bench` output with lines like "BenchmarkFoo-8  1000000  1234 ns/op"',
      },
    ]);
  }
  // Names only need the package to stay unique when the file holds several packages.
  const qualify = pkgs.size > 1;
  for (const r of rows) {
    const bench = procsOf.get(`${r.pkg}\0${r.bench}`)!.size > 1 ? r.bench + r.procs : r.bench;
    const key = qualify && r.pkg ? `${r.pkg.split('/').pop()}.${bench}` : bench;
    let m = byUnit.get(r.unit);
    if (!m) byUnit.set(r.unit, (m = new Map()));
    let list = m.get(key);
    if (!list) m.set(key, (list = []));
    list.push(r.value);
  }
  return [...byUnit.entries()].map(([unit, benchmarks]) => ({ label: name, unit, benchmarks }));
}
