// The by-hand limit's CSV reader: RFC 4180 (quoted cells with delimiters, doubled quotes and line
// breaks; LF or CRLF), found with indexOf, each row a plain object keyed by the header. Written
// here, not taken from a library, so the baseline is what a careful hand-written client costs.

/**
 * Calls `onRecord(object)` for every row of one CSV document after its header row; returns the
 * number of rows.
 */
export function readCsvRecords(text, onRecord, delimiter = ',') {
  // One native split into lines, then one per line: indexOf-and-slice loops over the whole body
  // fell off a V8 cliff on the strings fetch answers for bodies over a megabyte (3.7 s instead
  // of 0.1 s for a page of 50,000 rows).
  const lines = text.split('\n');
  let header;
  let count = 0;
  for (let l = 0; l < lines.length; l++) {
    let line = lines[l];
    if (line === '' && l === lines.length - 1) break;
    let cells;
    if (line.indexOf('"') === -1) {
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      cells = line.split(delimiter);
    } else {
      // A quoted cell may hold line breaks: take lines until the quotes pair up.
      while (quotes(line) % 2 === 1 && l + 1 < lines.length) line += `\n${lines[++l]}`;
      cells = [];
      quotedLine(`${line}\n`, 0, delimiter, cells);
    }
    if (header === undefined) {
      header = cells;
      continue;
    }
    const record = {};
    for (let c = 0; c < header.length; c++) record[header[c]] = cells[c];
    onRecord(record);
    count++;
  }
  return count;
}

function quotes(line) {
  let n = 0;
  for (let q = line.indexOf('"'); q !== -1; q = line.indexOf('"', q + 1)) n++;
  return n;
}

function quotedLine(text, start, delimiter, cells) {
  let i = start;
  for (;;) {
    let cell;
    if (text.charCodeAt(i) === 34) {
      cell = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) throw new Error('unclosed quote');
        cell += text.slice(from, q);
        if (text.charCodeAt(q + 1) !== 34) {
          i = q + 1;
          break;
        }
        cell += '"';
        from = q + 2;
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== delimiter && text[end] !== '\n' && text[end] !== '\r') end++;
      cell = text.slice(i, end);
      i = end;
    }
    cells.push(cell);
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    return i + 1;
  }
}
