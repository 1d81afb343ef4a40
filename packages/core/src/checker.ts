import type { ValidationIssue } from './errors.ts';
import { formatCpuList } from './allowed-cpus.ts';
import { describe, parseCount, parseDuration, parsePercent, type Parsed } from './units.ts';

/**
 * Collects every validation problem with its path, so users see them all at once.
 * Each getter returns `undefined` after recording an issue; callers keep going.
 */
export class Checker {
  readonly issues: ValidationIssue[] = [];

  add(path: string, message: string, hint?: string): undefined {
    this.issues.push(hint === undefined ? { path, message } : { path, message, hint });
    return undefined;
  }

  object(v: unknown, path: string, required = true): Record<string, unknown> | undefined {
    if (v === undefined && !required) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return this.add(path, `expected an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  }

  /** Flags keys the schema does not know: a typo must not silently fall back to a default. */
  known(obj: Record<string, unknown>, path: string, keys: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!keys.includes(k)) this.add(join(path, k), 'unknown field', `known fields: ${keys.join(', ')}`);
    }
  }

  string(v: unknown, path: string, required = true): string | undefined {
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.length === 0)
      return this.add(path, v === undefined ? 'is required' : `expected a non-empty string, got ${describe(v)}`);
    return v;
  }

  boolean(v: unknown, path: string): boolean | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return this.add(path, `expected true or false, got ${describe(v)}`);
    return v;
  }

  number(
    v: unknown,
    path: string,
    opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: number } = {},
  ): number | undefined {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return this.add(path, v === undefined ? 'is required' : `expected a number, got ${describe(v)}`);
    return this.range(v, path, opts);
  }

  range(v: number, path: string, opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: number }): number | undefined {
    if (opts.integer && !Number.isInteger(v)) return this.add(path, `must be a whole number, got ${v}`);
    if (opts.exclusiveMin !== undefined && !(v > opts.exclusiveMin)) return this.add(path, `must be > ${opts.exclusiveMin}, got ${v}`);
    if (opts.min !== undefined && v < opts.min) return this.add(path, `must be >= ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max) return this.add(path, `must be <= ${opts.max}, got ${v}`);
    return v;
  }

  duration(v: unknown, path: string): number | undefined {
    return this.parsed(parseDuration(v), path);
  }

  count(v: unknown, path: string, opts: { min?: number; integer?: boolean; exclusiveMin?: number } = {}): number | undefined {
    const n = this.parsed(parseCount(v), path);
    return n === undefined ? undefined : this.range(n, path, opts);
  }

  percent(v: unknown, path: string): number | undefined {
    return this.parsed(parsePercent(v), path);
  }

  cpus(v: unknown, path: string, allowed: readonly number[]): number[] | undefined {
    if (!Array.isArray(v) || v.length === 0)
      return this.add(path, `expected a non-empty array of CPU numbers, got ${describe(v)}`, 'e.g. [0] or [1, 2]');
    const out: number[] = [];
    const last = allowed[allowed.length - 1] ?? -1;
    v.forEach((c, i) => {
      const n = this.number(c, `${path}[${i}]`, { integer: true, min: 0 });
      if (n === undefined) return;
      if (out.includes(n))
        return this.add(`${path}[${i}]`, `CPU ${n} is listed twice`, `list each CPU once, e.g. [${[...new Set(v)].join(', ')}]`);
      if (allowed.includes(n)) out.push(n);
      else if (n > last && allowed.length === last + 1)
        this.add(`${path}[${i}]`, `CPU ${n} does not exist on this machine (CPUs 0-${last})`);
      else
        this.add(
          `${path}[${i}]`,
          `CPU ${n} is not one headroom may use here: it may run on CPUs ${formatCpuList(allowed)} (its affinity: a container's cpuset or a taskset around it)`,
          `use CPUs from ${formatCpuList(allowed)}, or leave the CPU set out to use those`,
        );
    });
    return out.length === v.length ? out : undefined;
  }

  private parsed<T>(p: Parsed<T>, path: string): T | undefined {
    if (!p.ok) return this.add(path, p.message, p.hint);
    return p.value;
  }
}

/** Joins a path and a key: `service` + `cpus` → `service.cpus`; keys that are not identifiers get quoted. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return k;
  return k.startsWith('"') ? `${path}[${k}]` : `${path}.${k}`;
}
