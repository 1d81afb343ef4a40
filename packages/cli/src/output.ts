/** How a command talks to its user: results on stdout (JSON with --json), logs on stderr. */
export interface Output {
  json: boolean;
  color: boolean;
  tty: boolean;
  /** A log line on stderr. */
  log(line: string): void;
  /** The command's result on stdout. */
  result(text: string): void;
  /** The command's machine-readable result on stdout (only with --json). */
  resultJson(value: unknown): void;
}

export function createOutput(json: boolean): Output {
  const tty = Boolean(process.stderr.isTTY);
  const color = !process.env['NO_COLOR'] && Boolean(process.stdout.isTTY) && !json;
  return {
    json,
    color,
    tty,
    log: (line) => process.stderr.write(`${line}\n`),
    result: (text) => process.stdout.write(`${text}\n`),
    resultJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
