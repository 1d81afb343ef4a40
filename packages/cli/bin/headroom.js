#!/usr/bin/env node
// Entry of the `headroom` command. headroom runs on Node 24 LTS (TypeScript type
// stripping, no build step). When an older Node started this file (e.g. the system
// Node 20 outside npm scripts), re-run it with the Node 24 that `npm install` brought in.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  let node;
  try {
    node = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
  } catch {
    console.error(
      `headroom needs Node 24 LTS; this is Node ${process.versions.node}. Run \`npm install\` in the headroom checkout (it brings Node 24), then use \`npx headroom\`.`,
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
