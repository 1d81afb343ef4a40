/**
 * The `headroom` command: finds the command, parses its own options, opens the store when
 * the command uses one, runs it, and maps errors to exit codes. Heavy modules (DuckDB, the
 * runner, analysis) load only inside the command that needs them.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { ExitCode, HeadroomError, InterruptedError, UsageError, ValidationError } from '@headroom/core';
import type { Store } from '@headroom/store';
import { COMMANDS, findCommand } from './commands/index.ts';
import { commandHelp, overviewHelp } from './help.ts';
import { createOutput, type Output } from './output.ts';
import { parseCommandLine } from './spec.ts';
import { ancestorAlive, npmAncestor } from './npm-ancestor.ts';

/** The store when neither --db nor $HEADROOM_DB says otherwise (the store package's default too). */
const DEFAULT_DB = 'results/headroom.duckdb';
/** How long a command waits for another process's brief hold on the store (a run folding its spool in). */
const STORE_WAIT_MS = 10_000;
/** How long a run waits at its start for the store before going on without checking it. */
const RUN_START_WAIT_MS = 2_000;

function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  const early = createOutput(wantsJson);
  if (argv.length === 0) {
    process.stdout.write(`${overviewHelp(COMMANDS)}\n`);
    return ExitCode.badInput;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const target = argv[1] ? findCommand(argv.slice(1)) : null;
    process.stdout.write(`${target && 'spec' in target ? commandHelp(target.spec) : overviewHelp(COMMANDS)}\n`);
    return ExitCode.ok;
  }
  const found = findCommand(argv);
  if (!found)
    return reportError(
      new UsageError(
        `unknown command "${argv[0]}"; commands: ${[...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))].join(', ')} (headroom --help)`,
        'E_UNKNOWN_COMMAND',
      ),
      early,
    );
  if ('group' in found) {
    const wanted = argv[1];
    if (wanted === '--help' || wanted === '-h' || wanted === undefined) {
      process.stdout.write(`${found.subcommands.map(commandHelp).join('\n\n')}\n`);
      return wanted === undefined ? ExitCode.badInput : ExitCode.ok;
    }
    return reportError(
      new UsageError(`unknown ${found.group} subcommand "${wanted}"; use ${found.subcommands.map((c) => c.name.split(' ')[1]).join(', ')}`),
      early,
    );
  }
  const { spec, rest } = found;
  let parsed;
  try {
    parsed = parseCommandLine(spec, rest);
  } catch (err) {
    return reportError(err, early);
  }
  if (parsed.options['help'] === true) {
    process.stdout.write(`${commandHelp(spec)}\n`);
    return ExitCode.ok;
  }
  const out = createOutput(parsed.options['json'] === true);
  const db = (parsed.options['db'] as string | undefined) ?? process.env['HEADROOM_DB'] ?? DEFAULT_DB;

  const controller = new AbortController();
  const urgent = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals | 'parent-exit') => {
    interrupts++;
    if (interrupts === 1) {
      out.log(
        `\n${sig === 'parent-exit' ? "headroom's parent process exited" : sig}: stopping the load and storing what was measured (again to stop at once)`,
      );
      controller.abort(new InterruptedError(sig === 'parent-exit' ? 'its parent process exiting' : sig));
      return;
    }
    if (interrupts === 2) {
      // The run is already recorded as interrupted; stop workers and the service now, and exit soon whatever happens.
      out.log(`${sig}: stopping at once`);
      urgent.abort(new InterruptedError(sig));
      setTimeout(() => process.exit(ExitCode.interrupted), 3000).unref();
      return;
    }
    process.exit(ExitCode.interrupted);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.on(sig, onSignal);
  // A parent that dies without signalling us (kill -9 of npx or of the Node-24 re-run wrapper, CI cancelling one process):
  // a run must not go on orphaned, holding on to the service and its CPUs.
  const parent = process.ppid;
  // Started through npx: npm may be killed while the `sh -c` between it and headroom lives on.
  const npm = spec.store === 'run' ? npmAncestor() : null;
  const watchParent =
    spec.store === 'run'
      ? setInterval(() => {
          if (process.ppid === parent && (npm === null || ancestorAlive(npm))) return;
          // Once: the run then stops in order, as on a first Ctrl-C (a second would stop it at once).
          if (watchParent) clearInterval(watchParent);
          onSignal('parent-exit');
        }, 500)
      : null;
  watchParent?.unref();

  let store: Store | null = null;
  // A store this command created, removed again when the command refuses its input (exit 2: nothing ran).
  let created = false;
  let code: number = ExitCode.runFailed;
  try {
    const impl = await spec.load();
    if (spec.store !== 'none') {
      const exists = existsSync(db);
      created = !exists && (spec.store === 'write' || spec.store === 'run');
      if ((spec.store === 'read' || (spec.store === 'write' && spec.needsRuns?.(parsed.options))) && !exists)
        throw new UsageError(
          `no store at ${db} yet; run something first (headroom run scenarios/quickstart.ts) or pass --db <file>`,
          'E_NO_STORE',
        );
      const { Store: StoreClass } = await import('@headroom/store');
      if (spec.store === 'run') {
        // Checked, migrated and cleaned of dead runs' spools now; the run itself writes its own spool.
        // A reader holding the file (a long runs sql) does not stop a run: it is folded in when it ends.
        try {
          (await StoreClass.open(db, { waitMs: RUN_START_WAIT_MS })).close();
        } catch (err) {
          if ((err as HeadroomError).code !== 'E_STORE_LOCKED' || !exists) throw err;
          out.log(`headroom: ${db} is busy (another process reads it); the run goes on and is stored when it ends`);
        }
      } else if (spec.store === 'write') {
        store = await StoreClass.open(db, { waitMs: STORE_WAIT_MS });
      } else if (exists) {
        store = await StoreClass.open(db, { readOnly: true, waitMs: STORE_WAIT_MS });
      }
    }
    code = await impl({ args: parsed.args, options: parsed.options, store, db, out, signal: controller.signal, urgent: urgent.signal });
    return code;
  } catch (err) {
    code = reportError(err, out);
    return code;
  } finally {
    store?.close();
    if (created && code === ExitCode.badInput) await removeUnusedStore(db);
    if (watchParent) clearInterval(watchParent);
    for (const sig of signals) process.off(sig, onSignal);
  }
}

/**
 * Removes a store this command created and then refused its input (exit 2: nothing ran), unless
 * a run started meanwhile writes to it (its spool is there): bad input leaves nothing behind.
 */
async function removeUnusedStore(db: string): Promise<void> {
  const { spoolDir } = await import('@headroom/store');
  const spools = spoolDir(db);
  let inUse = false;
  try {
    inUse = readdirSync(spools).length > 0;
  } catch {
    // no spool folder: no run wrote here
  }
  if (inUse) return;
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  rmSync(spools, { recursive: true, force: true });
}

function reportError(err: unknown, out: Output): number {
  if (err instanceof HeadroomError) {
    out.log(`headroom: ${err.message}`);
    if (out.json)
      out.resultJson({
        error: { code: err.code, message: err.message, ...(err instanceof ValidationError ? { issues: err.issues } : {}) },
      });
    return err.exitCode;
  }
  out.log(`headroom: unexpected error: ${(err as Error).stack ?? String(err)}`);
  if (out.json) out.resultJson({ error: { code: 'E_INTERNAL', message: (err as Error).message } });
  return ExitCode.runFailed;
}

// A reader that stops early (`report -o - | head -1`) closes the pipe: the rest of the output is not
// wanted, which is no error. The command still finishes (a run is still stored) and exits as it would.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
const code = await main(process.argv.slice(2));
process.exitCode = code;
