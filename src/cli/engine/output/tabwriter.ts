// Go's text/tabwriter as docker configures it for tables (minwidth 10, padding 3, padded with
// spaces): tab-terminated cells are aligned per column block of consecutive lines that have that
// column; the last cell of a line is written as it is.

export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

const DOCKER: TabwriterOptions = { minWidth: 10, padding: 3 };

export function tabwrite(text: string, options: TabwriterOptions = DOCKER): string {
  const parts = text.split('\n');
  // the text after the last newline is an unterminated line, written as it is
  const tail = parts.pop()!;
  const lines = parts.map((l) => l.split('\t'));
  const width = (s: string) => [...s].length;
  const widths: number[] = [];
  let out = '';

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      cells.forEach((c, j) => {
        out += c;
        if (j < widths.length && j < cells.length - 1) out += ' '.repeat(Math.max(0, widths[j]! - width(c)));
      });
      out += '\n';
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue;
      writeLines(start, row);
      start = row;
      let w = options.minWidth;
      for (; row < line1; row++) {
        const cells = lines[row]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]!) + options.padding);
      }
      widths.push(w);
      format(start, row);
      widths.pop();
      start = row;
      row--;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out + tail;
}
