// The by-hand limit's CSV reader: RFC 4180 (quoted cells with delimiters, doubled quotes and line
// breaks; LF or CRLF), found with indexOf, each row a plain object keyed by the header. Written
// here, not taken from a library, so the baseline is what a careful hand-written client costs.

/**
 * Calls `onRecord(object)` for every row of one CSV document after its header row; returns the
 * number of rows.
 */
export function readCsvRecords(text, onRecord, delimiter = ',') {
  const length = text.length;
  let i = 0;
  let header;
  let count = 0;
  let nextQuote = text.indexOf('"');
  while (i < length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd === -1) lineEnd = length;
    let cells;
    if (nextQuote === -1 || nextQuote > lineEnd) {
      // No quote on this line: the native split finds the cells. (Looking for each delimiter
      // with indexOf and slicing is as fast on small strings, but falls off a cliff on the
      // external strings Node makes for bodies over a megabyte.)
      const end = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      cells = text.slice(i, end).split(delimiter);
      i = lineEnd + 1;
    } else {
      cells = [];
      i = quotedLine(text, i, delimiter, cells);
      nextQuote = text.indexOf('"', i);
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
