import type { Engine } from './engine.ts';
import { ClosedRunner } from './closed-runner.ts';
import { OpenRunner } from './open-runner.ts';

/** The fast engine: raw keep-alive sockets, pre-encoded requests, µs timing, no coordinated omission. */
export const headroomEngine: Engine = (ctx) => (ctx.unit.model === 'closed' ? new ClosedRunner(ctx) : new OpenRunner(ctx));
