// Docker's aligned tables: the header and rows as tab-separated lines through Go's tabwriter.
import { tabwrite } from './tabwriter.js';

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return tabwrite([headers, ...rows].map((r) => `${r.join('\t')}\n`).join(''));
}
