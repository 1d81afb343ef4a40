/** `headroom init`: scaffolds a scenario and a bench file for the user's service in the current folder. */
import { ExitCode } from '@headroom/core';
import { initDefaults, QUESTIONS, type InitAnswers } from '../init/answers.ts';
import { completeAnswers } from '../init/prompt.ts';
import { scaffold } from '../init/scaffold.ts';
import type { Output } from '../output.ts';

export interface InitCommandOptions {
  given: Partial<InitAnswers>;
  force: boolean;
}

export async function initCommand(dir: string, out: Output, options: InitCommandOptions): Promise<number> {
  const defaults = initDefaults(dir);
  const { answers, completion } = await completeAnswers(options.given, defaults, { input: process.stdin, output: process.stderr });
  if (completion.status === 'defaulted') {
    const flags = QUESTIONS.filter((q) => completion.keys.includes(q.key)).map((q) => {
      const v = answers[q.key];
      return `--${q.key === 'routes' ? 'route' : q.key} ${JSON.stringify(Array.isArray(v) ? v.join(',') : String(v))}`;
    });
    out.log(`headroom init: stdin is not a terminal, so nothing was asked; defaults used: ${flags.join(' ')}`);
  }
  const result = scaffold(dir, answers, { force: options.force });
  if (out.json) {
    out.resultJson({ ...result, answers, defaulted: completion.status === 'defaulted' ? completion.keys : [] });
    return ExitCode.ok;
  }
  const ignore = { created: 'created with results/', appended: 'results/ added', unchanged: 'already ignores results/' }[result.gitignore];
  out.result(
    [
      `wrote ${result.scenario}`,
      `wrote ${result.bench}`,
      `.gitignore: ${ignore}`,
      ...(result.moduleMarker === 'created'
        ? ['wrote scenarios/package.json: { "type": "module" } (scenario files are ES modules; your package.json is not)']
        : []),
      '',
      'next:',
      `  npx headroom run ${result.scenario}`,
      `  npx headroom bench ${result.bench}`,
      '  npx headroom runs ls',
    ].join('\n'),
  );
  return ExitCode.ok;
}
