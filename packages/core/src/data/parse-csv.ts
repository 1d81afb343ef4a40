/**
 * A CSV reader for test data (RFC 4180: comma-separated, `"` quotes, `""` inside quotes,
 * CRLF or LF line ends; the first line names the columns). Rows whose field count differs
 * from the header's are reported with their line number, never guessed at.
 */

/** The rows of a CSV file, or the first problem with its 1-based line number. */
export type CsvResult = { ok: true; rows: Record<string, string>[] } | { ok: false; line: number; message: string };

/** Parses CSV text whose first line is the header. Blank lines are skipped. */
export function parseCsv(text: string): CsvResult {
  const records = splitRecords(text);
  if (!records.ok) return records;
  const list = records.records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  const head = list[0];
  if (head === undefined) return { ok: false, line: 1, message: 'is empty: the first line must name the columns' };
  const names = head.fields.map((f) => f.trim());
  const dup = names.find((n, i) => n === '' || names.indexOf(n) !== i);
  if (dup !== undefined)
    return {
      ok: false,
      line: head.line,
      message: dup === '' ? 'the header has an empty column name' : `the header names column "${dup}" twice`,
    };
  const rows: Record<string, string>[] = [];
  for (const r of list.slice(1)) {
    if (r.fields.length !== names.length)
      return {
        ok: false,
        line: r.line,
        message: `has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, the header has ${names.length}`,
      };
    const row: Record<string, string> = {};
    names.forEach((n, i) => {
      row[n] = r.fields[i] as string;
    });
    rows.push(row);
  }
  return { ok: true, rows };
}

type Records = { ok: true; records: { line: number; fields: string[] }[] } | { ok: false; line: number; message: string };

function splitRecords(text: string): Records {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte order mark is not data
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          return { ok: false, line, message: 'has characters after a closing quote (write "" for a quote inside a quoted field)' };
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else field += c;
    i++;
  }
  if (quoted) return { ok: false, line: recordLine, message: 'has a quoted field that is never closed' };
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return { ok: true, records };
}
