/** A plain aligned text table; numbers right-aligned, text left-aligned. */
export function formatTable(header: string[], rows: string[][], options: { rightAlign?: boolean[] } = {}): string {
  // A loop, not Math.max(...rows): a spread of 100k+ rows (runs sql) overflows the call stack.
  const widths = header.map(visible);
  for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, visible(r[i] ?? ''));
  const right = options.rightAlign ?? header.map((_, i) => i > 0);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, right[i] ?? false))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function visible(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - visible(s)));
  return right ? fill + s : s + fill;
}

/** ANSI colouring that honours NO_COLOR and non-TTY output. */
export function painter(color: boolean): (code: 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold', s: string) => string {
  const codes = { red: '31', green: '32', yellow: '33', cyan: '36', dim: '2', bold: '1' } as const;
  return (code, s) => (color ? `\x1b[${codes[code]}m${s}\x1b[0m` : s);
}
