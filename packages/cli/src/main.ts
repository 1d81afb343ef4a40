import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ExitCode, HeadroomError, UsageError, ValidationError } from '@headroom/core';
import { DEFAULT_DB, Store } from '@headroom/store';
import { COMMANDS, HELP } from './commands/index.ts';
import { createOutput } from './output.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        db: { type: 'string', default: process.env['HEADROOM_DB'] ?? DEFAULT_DB },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        limit: { type: 'string', default: '20' },
        phase: { type: 'string' },
        type: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        alpha: { type: 'string' },
        'noise-floor': { type: 'string' },
        'fail-on': { type: 'string' },
        markdown: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`headroom: ${(err as Error).message}\n${HELP}\n`);
    return ExitCode.badInput;
  }
  const { values, positionals } = parsed;
  if (values.version) { process.stdout.write(`${VERSION}\n`); return 0; }
  const [name, ...args] = positionals;
  if (values.help || !name) { process.stdout.write(`${HELP}\n`); return name || values.help ? 0 : ExitCode.badInput; }
  const out = createOutput(values.json);
  const command = COMMANDS[name];
  if (!command) { out.log(`headroom: unknown command "${name}"\n${HELP}`); return ExitCode.badInput; }

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    out.log(`\n${sig}: stopping the load and storing what was measured (again to quit at once)`);
    controller.abort(new HeadroomError('E_INTERRUPTED', `interrupted by ${sig}`, ExitCode.interrupted));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let store: Store | null = null;
  try {
    if (command.store !== 'none') {
      const exists = existsSync(values.db);
      if (command.store === 'read' && !exists) throw new UsageError(`no store at ${values.db} yet; run something first (headroom run scenarios/quickstart.ts) or pass --db <file>`);
      if (command.store !== 'optional' || exists) store = await Store.open(values.db);
    }
    return await command.run({ args, values, store, out, signal: controller.signal });
  } catch (err) {
    return reportError(err, out);
  } finally {
    store?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function reportError(err: unknown, out: ReturnType<typeof createOutput>): number {
  if (err instanceof HeadroomError) {
    out.log(`headroom: ${err.message}`);
    if (out.json) out.resultJson({ error: { code: err.code, message: err.message, ...(err instanceof ValidationError ? { issues: err.issues } : {}) } });
    return err.exitCode;
  }
  out.log(`headroom: unexpected error: ${(err as Error).stack ?? String(err)}`);
  if (out.json) out.resultJson({ error: { code: 'E_INTERNAL', message: (err as Error).message } });
  return ExitCode.runFailed;
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
