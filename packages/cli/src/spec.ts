/**
 * Each command declares its arguments and options here-typed, with defaults and help text;
 * the command line is parsed and validated against that declaration (node:util parseArgs
 * underneath: no dependency, nothing to load before a command runs), and help is generated
 * from it. Unknown or misplaced options and values of the wrong type are usage errors that
 * name the command.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '@headroom/core';
import type { Store } from '@headroom/store';
import type { Output } from './output.ts';

/** One option of a command. */
export type OptionSpec =
  | { type: 'boolean'; description: string; short?: string }
  | {
      type: 'string';
      description: string;
      short?: string;
      placeholder?: string;
      default?: string;
      choices?: readonly string[];
      /** Given more than once (`--route a --route b`): the value is every one, in order. @default false */
      multiple?: boolean;
    }
  | { type: 'integer'; description: string; short?: string; placeholder?: string; default?: number; min?: number; max?: number }
  | {
      type: 'number';
      description: string;
      short?: string;
      placeholder?: string;
      default?: number;
      min?: number;
      max?: number;
      exclusive?: boolean;
    };

/** A positional argument. */
export interface ArgSpec {
  name: string;
  /** `...` in usage: takes the rest of the positionals. @default false */
  variadic?: boolean;
  /** @default true */
  required?: boolean;
}

/** Parsed option values: strings, numbers (validated), booleans; every string of a `multiple` option. */
export type OptionValues = Record<string, string | number | boolean | readonly string[] | undefined>;

/** What a command implementation receives. */
export interface CommandContext {
  args: string[];
  options: OptionValues;
  /**
   * Open for `write` commands, read-only for `read` ones and when an optional store exists;
   * null for `run` commands, which write through their run's spool and fold it in at the end (`db`).
   */
  store: Store | null;
  /** The store file (--db, $HEADROOM_DB or the default). */
  db: string;
  out: Output;
  /** Aborted by the first SIGINT/SIGTERM/SIGHUP (or when headroom's parent died): stop in order, store as interrupted. */
  signal: AbortSignal;
  /** Aborted by a second signal: stop at once. */
  urgent: AbortSignal;
}

/** A command's implementation, loaded only when the command runs. */
export type CommandImpl = (ctx: CommandContext) => Promise<number>;

/** A command as users see it: name, arguments, options, examples, and its lazily loaded code. */
export interface CommandSpec {
  /** 'run', or 'runs ls' for a subcommand. */
  name: string;
  summary: string;
  /** Longer help text (what it does, what it prints). */
  description?: string;
  args: readonly ArgSpec[];
  options: Readonly<Record<string, OptionSpec>>;
  examples: readonly string[];
  /**
   * How the command uses the store: `run` begins a run that writes its own spool (the store is
   * only checked at start and folded into at the end, never held), `write` holds it open for
   * writing, `read` opens it read-only, `optional` read-only when it exists, `none` not at all.
   */
  store: 'run' | 'write' | 'read' | 'optional' | 'none';
  /** With `write`: whether, given its options, the command reads runs that must already be stored (a missing store is then E_NO_STORE, not created empty). */
  needsRuns?(options: OptionValues): boolean;
  load(): Promise<CommandImpl>;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  db: { type: 'string', placeholder: 'file', description: 'the store (default results/headroom.duckdb, or $HEADROOM_DB)' },
  json: { type: 'boolean', description: 'machine-readable result on stdout, logs on stderr' },
  help: { type: 'boolean', short: 'h', description: "this command's help" },
};

/** Parses `argv` (after the command name) against `spec`; throws UsageError naming the command on any problem. */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): { args: string[]; options: OptionValues } {
  const all = { ...spec.options, ...GLOBAL_OPTIONS };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(all).map(([k, o]) => [
          k,
          {
            type: o.type === 'boolean' ? 'boolean' : 'string',
            ...(o.short ? { short: o.short } : {}),
            ...(o.type === 'string' && o.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
    });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(e.message)?.[1] ?? e.message;
      const takes =
        Object.keys(spec.options)
          .map((k) => `--${k}`)
          .join(', ') || 'no options of its own';
      throw new UsageError(
        `headroom ${spec.name}: unknown option ${flag}; it takes ${takes} (see headroom ${spec.name} --help)`,
        'E_UNKNOWN_OPTION',
      );
    }
    throw new UsageError(`headroom ${spec.name}: ${e.message} (see headroom ${spec.name} --help)`, 'E_OPTION_VALUE');
  }
  const options: OptionValues = {};
  for (const [key, o] of Object.entries(all)) {
    const raw = parsed.values[key];
    if (raw === undefined) options[key] = 'default' in o ? o.default : undefined;
    else if (Array.isArray(raw)) options[key] = raw.map((r) => convert(spec.name, key, o, r as string) as string);
    else options[key] = convert(spec.name, key, o, raw as string | boolean);
  }
  if (options['help'] === true) return { args: [...parsed.positionals], options };
  checkArgs(spec, parsed.positionals);
  return { args: [...parsed.positionals], options };
}

function convert(command: string, key: string, o: OptionSpec, raw: string | boolean): string | number | boolean {
  if (o.type === 'boolean' || typeof raw === 'boolean') return raw;
  const bad = (what: string) => new UsageError(`headroom ${command}: --${key} ${what}; got ${JSON.stringify(raw)}`, 'E_OPTION_VALUE');
  if (o.type === 'string') {
    if (o.choices && !o.choices.includes(raw)) throw bad(`takes ${o.choices.join(' or ')}`);
    return raw;
  }
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw bad(`takes a number`);
  if (o.type === 'integer' && !Number.isInteger(v)) throw bad('takes a whole number');
  const lo = o.min;
  const hi = o.max;
  const exclusive = o.type === 'number' && o.exclusive === true;
  if (lo !== undefined && (exclusive ? v <= lo : v < lo)) throw bad(`must be ${exclusive ? 'above' : 'at least'} ${lo}`);
  if (hi !== undefined && (exclusive ? v >= hi : v > hi)) throw bad(`must be ${exclusive ? 'below' : 'at most'} ${hi}`);
  return v;
}

function checkArgs(spec: CommandSpec, positionals: readonly string[]): void {
  const required = spec.args.filter((a) => a.required !== false).length;
  const variadic = spec.args.some((a) => a.variadic);
  if (positionals.length < required) {
    const missing = spec.args
      .slice(positionals.length)
      .filter((a) => a.required !== false)
      .map((a) => `<${a.name}>`)
      .join(' ');
    throw new UsageError(`headroom ${spec.name}: missing ${missing}; usage: ${usageLine(spec)}`);
  }
  if (!variadic && positionals.length > spec.args.length) {
    throw new UsageError(
      `headroom ${spec.name}: unexpected argument ${JSON.stringify(positionals[spec.args.length])}; usage: ${usageLine(spec)}`,
    );
  }
}

/** `headroom compare <baseline> <candidate> [options]` */
export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    const n = `<${a.name}>${a.variadic ? '...' : ''}`;
    return a.required === false ? `[${n}]` : n;
  });
  return ['headroom', spec.name, ...args, '[options]'].join(' ');
}
