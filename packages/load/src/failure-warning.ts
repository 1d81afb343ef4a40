import type { ErrorKind } from '@headroom/internal';
import type { EngineContext } from './engine.ts';

/**
 * Tells the user why requests failed when the kind alone does not say: a response that could
 * not be parsed (kind `other`, once per phase), or a TLS failure (kind `tls`, once per phase and
 * reason: which certificate check or alert, e.g. a certificate rotated to one the scenario does
 * not trust). The warnings are stored with the run.
 */
export function warnFailure(ctx: Pick<EngineContext, 'unit' | 'target' | 'warn'>, request: string, kind: ErrorKind, detail: string): void {
  const phase = ctx.unit.name;
  if (kind === 'tls')
    ctx.warn(
      `TLS with ${ctx.target} failed in ${phase} (${request}): ${detail}; such requests count as errors of kind "tls"`,
      `tls:${phase}:${detail}`,
    );
  else
    ctx.warn(
      `response from ${ctx.target} could not be parsed in ${phase} (${request}): ${detail}; such responses count as errors of kind "${kind}"`,
      `parse:${phase}`,
    );
}
