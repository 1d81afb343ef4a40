/**
 * Fills in what `headroom init` was not told: asks on a terminal (Enter takes the suggestion),
 * and when stdin is not a terminal (CI, a pipe) never waits: it takes the defaults and says which.
 */
import { createInterface } from 'node:readline/promises';
import { QUESTIONS, type InitAnswers } from './answers.ts';

/** How the answers were completed: asked, or defaulted (with the keys that were). */
export type Completion =
  { status: 'complete' } | { status: 'asked'; keys: (keyof InitAnswers)[] } | { status: 'defaulted'; keys: (keyof InitAnswers)[] };

const show = (v: InitAnswers[keyof InitAnswers]) => (Array.isArray(v) ? v.join(',') : String(v));

/** `given` completed from `defaults`, asking on a terminal; the result has every answer. */
export async function completeAnswers(
  given: Partial<InitAnswers>,
  defaults: InitAnswers,
  io: { input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream },
): Promise<{ answers: InitAnswers; completion: Completion }> {
  const missing = QUESTIONS.filter((q) => given[q.key] === undefined);
  const answers = { ...defaults, ...given } as InitAnswers;
  if (missing.length === 0) return { answers, completion: { status: 'complete' } };
  const keys = missing.map((q) => q.key);
  if (io.input.isTTY !== true) return { answers, completion: { status: 'defaulted', keys } };
  const rl = createInterface({ input: io.input, output: io.output });
  try {
    for (const q of missing) {
      const reply = (await rl.question(`${q.prompt} [${show(defaults[q.key])}]: `)).trim();
      if (reply === '') continue;
      if (q.key === 'port') answers.port = Number(reply);
      else if (q.key === 'routes') answers.routes = reply.split(',').map((r) => r.trim());
      else answers[q.key] = reply;
    }
  } finally {
    rl.close();
  }
  return { answers, completion: { status: 'asked', keys } };
}
