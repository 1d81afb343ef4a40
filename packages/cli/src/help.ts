/** Help text generated from the command declarations: the overview and each command's page. */
import { ERROR_CODES } from '@headroom/core';
import { GLOBAL_OPTIONS, usageLine, type CommandSpec, type OptionSpec } from './spec.ts';

/** `headroom --help`: every command with its summary. */
export function overviewHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length + argText(c).length + 1));
  return [
    'headroom — load tests, microbenchmarks, profiles and honest comparisons',
    '',
    'usage: headroom <command> [options]     headroom <command> --help for its options and examples',
    '',
    'commands',
    ...commands.map((c) => `  ${`${c.name} ${argText(c)}`.padEnd(width)}  ${c.summary}`),
    '',
    'runs are named by id, id prefix, latest or latest~N',
    '',
    'options of every command',
    ...optionLines(GLOBAL_OPTIONS),
    "  -v, --version         headroom's version",
    '',
    `exit codes: 0 ok · 1 threshold/gate failed · 2 bad input · 3 run failed · 130 interrupted (${Object.keys(ERROR_CODES).length} error codes: see the README)`,
  ].join('\n');
}

/** `headroom <command> --help`: usage, description, options with defaults, examples. */
export function commandHelp(c: CommandSpec): string {
  const own = Object.keys(c.options).length > 0 ? ['', 'options', ...optionLines(c.options)] : [];
  return [
    `usage: ${usageLine(c)}`,
    '',
    c.summary,
    ...(c.description ? ['', c.description] : []),
    ...own,
    '',
    'options of every command',
    ...optionLines(GLOBAL_OPTIONS),
    ...(c.examples.length > 0 ? ['', 'examples', ...c.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

function argText(c: CommandSpec): string {
  return c.args.map((a) => (a.required === false ? `[<${a.name}>]` : `<${a.name}>${a.variadic ? '...' : ''}`)).join(' ');
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const heads = Object.entries(options).map(([k, o]) => {
    const value = o.type === 'boolean' ? '' : ` <${('placeholder' in o && o.placeholder) || (o.type === 'string' ? 'value' : 'n')}>`;
    return `${o.short ? `-${o.short}, ` : '    '}--${k}${value}`;
  });
  const width = Math.max(20, ...heads.map((h) => h.length));
  return Object.entries(options).map(([, o], i) => {
    const dflt = 'default' in o && o.default !== undefined ? ` (default ${o.default})` : '';
    const choices = o.type === 'string' && o.choices ? ` [${o.choices.join('|')}]` : '';
    const repeat = o.type === 'string' && o.multiple ? ' (repeatable)' : '';
    return `  ${(heads[i] as string).padEnd(width)}  ${o.description}${choices}${repeat}${dflt}`;
  });
}
