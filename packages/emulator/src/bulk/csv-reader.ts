// Reading a Bulk 2.0 upload: RFC 4180 CSV with the job's delimiter, LF or CRLF line endings.
// A 200,000-row upload is parsed on every ingest a test runs, so this is written for speed:
// lines without a quote are split natively, only quoted lines are walked character by character.

/** Why an upload is not CSV; the message becomes the job's `errorMessage`. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

/**
 * Every row of a CSV document as arrays of cells, the header row first. A leading BOM is
 * dropped; a final line ending does not start a row; a blank line is a row of one empty cell
 * (so it is an error in a document of several columns). Every row must have as many cells as
 * the first, as Salesforce requires.
 */
export function readCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  const length = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let width = -1;
  let nextQuote = text.indexOf('"', i);
  let line = 1;
  while (i < length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd === -1) lineEnd = length;
    let row: string[];
    if (nextQuote === -1 || nextQuote > lineEnd) {
      const end = lineEnd > i && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      row = text.slice(i, end).split(delimiter);
      i = lineEnd + 1;
    } else {
      const parsed = quotedRow(text, i, delimiter, line);
      row = parsed.row;
      line += parsed.lines;
      i = parsed.next;
      nextQuote = text.indexOf('"', i);
    }
    if (width === -1) width = row.length;
    else if (row.length !== width) {
      throw new CsvFormatError(`Invalid Record Length: expect ${width}, got ${row.length} on line ${line}`);
    }
    rows.push(row);
    line++;
  }
  return rows;
}

/** One row that holds a quote somewhere, read from `start`; `next` is where the next row begins. */
function quotedRow(
  text: string,
  start: number,
  delimiter: string,
  line: number,
): { row: string[]; next: number; lines: number } {
  const row: string[] = [];
  const length = text.length;
  let i = start;
  let lines = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      // A quoted cell: runs to the next quote not doubled; line breaks inside are data.
      let cell = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) {
          throw new CsvFormatError(
            `Quote Not Closed: the parsing is finished with an opening quote at line ${line + lines}`,
          );
        }
        const piece = text.slice(from, q);
        for (let n = piece.indexOf('\n'); n !== -1; n = piece.indexOf('\n', n + 1)) lines++;
        cell += piece;
        if (text.charCodeAt(q + 1) === 34) {
          cell += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      row.push(cell);
    } else {
      // An unquoted cell: up to the delimiter or the line's end; a quote inside is an error.
      let end = i;
      while (end < length) {
        const c = text[end];
        if (c === delimiter || c === '\n' || (c === '\r' && text[end + 1] === '\n')) break;
        if (c === '"') {
          throw new CsvFormatError(
            `Invalid Opening Quote: a quote is found on field ${row.length} at line ${line + lines}`,
          );
        }
        end++;
      }
      row.push(text.slice(i, end));
      i = end;
    }
    if (i >= length) return { row, next: length, lines };
    const c = text[i];
    if (c === delimiter) {
      i++;
      if (i >= length) {
        row.push('');
        return { row, next: length, lines };
      }
      continue;
    }
    if (c === '\n') return { row, next: i + 1, lines };
    if (c === '\r' && text[i + 1] === '\n') return { row, next: i + 2, lines };
    throw new CsvFormatError(
      `Invalid Closing Quote: got "${c}" at line ${line + lines} instead of delimiter, record delimiter, trimable character or quote`,
    );
  }
}
