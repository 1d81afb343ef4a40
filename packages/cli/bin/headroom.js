#!/usr/bin/env node
// Entry of the `headroom` command, in two settings:
// - installed from the registry (no src/ next to bin/): the built JavaScript in dist/ runs on the
//   Node that started it, whichever the user chose, provided it is recent enough;
// - in the headroom checkout (src/ is here): the TypeScript sources run with Node's type
//   stripping, which needs Node 24; when an older Node started this file (e.g. the system Node 20
//   outside npm scripts), it re-runs itself with the Node 24 that `npm install` brought in.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const checkout = existsSync(new URL('../src/main.ts', import.meta.url));

if (!checkout) {
  // 22.18: type stripping on by default (users' scenario files are TypeScript) and module.registerHooks.
  if (major < 22 || (major === 22 && minor < 18) || major === 23) {
    console.error(`headroom needs Node 24 or later, or Node 22.18 or a later 22.x; this is Node ${process.versions.node}.`);
    process.exit(2);
  }
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  await import('../dist/main.js');
} else if (major < 24) {
  let node;
  try {
    node = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
  } catch {
    console.error(
      `headroom's sources need Node 24 LTS; this is Node ${process.versions.node}. Run \`npm install\` in the headroom checkout (it brings Node 24), then use \`npx headroom\`.`,
    );
    process.exit(2);
  }
  // Its own process group, so a terminal's Ctrl-C reaches it once (through us), not twice.
  const child = spawn(node, [process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit', detached: true });
  // Signals sent to this process (CI cancelling one pid, kill, a closing terminal) reach the real headroom;
  // if this process dies without a signal (kill -9), the real one notices its parent changed and stops.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(sig, () => {
      try {
        child.kill(sig);
      } catch {
        /* gone */
      }
    });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
} else {
  // Node caches compiled (and type-stripped) modules on disk: a warm `headroom --version`
  // takes ~50 ms instead of ~200 ms, most of which was stripping types again.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  await import('../src/main.ts');
}
