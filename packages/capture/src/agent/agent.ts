/**
 * The capture agent's entry point, preloaded into a Node SUT with `--import`. It must never
 * stop the SUT from starting: configuration comes from HEADROOM_CAPTURE, the real agent is
 * imported dynamically, and any failure becomes a warning posted to the runner.
 */
import type { AgentConfig } from '../protocol.ts';

/** Reports that the agent could not start (once it runs, warnings go through its I/O thread). */
async function warn(url: string, message: string, token = ''): Promise<void> {
  try {
    await fetch(`${url}/agent?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'warning', message }),
      signal: AbortSignal.timeout(2_000),
    });
  } catch {
    process.emitWarning(`headroom capture agent: ${message}`);
  }
}

const raw = process.env['HEADROOM_CAPTURE'];
if (raw) {
  let config: AgentConfig | null = null;
  try {
    config = JSON.parse(raw) as AgentConfig;
  } catch {
    process.emitWarning('headroom capture agent: HEADROOM_CAPTURE is not JSON; capture is off');
  }
  // Children the SUT spawns inherit the environment; only the first process is captured.
  delete process.env['HEADROOM_CAPTURE'];
  if (config) {
    try {
      const { startAgent } = await import('./main.ts');
      await startAgent(config);
    } catch (e) {
      await warn(config.url, `agent failed to start, the SUT runs without capture: ${(e as Error).stack ?? e}`, config.token);
    }
  }
}
