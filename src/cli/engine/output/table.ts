// Docker's aligned tables (Go tabwriter with minwidth 10 and padding 3; the last column unpadded).
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, c) => Math.max(10, ...all.map((r) => (r[c] ?? '').length + 3)));
  return all
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('').trimEnd())
    .join('\n') + '\n';
}
