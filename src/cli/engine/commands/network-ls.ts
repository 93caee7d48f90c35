import { defineCommand } from '../command.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';

/** One row of `network ls`: docker's field names, usable in --format templates. */
interface NetworkRow {
  ID: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: string;
  Labels: string;
  CreatedAt: string;
}

const HEADERS: Record<string, string> = { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', CreatedAt: 'CREATED AT' };

export default defineCommand({
  usage: 'vessel network ls [OPTIONS]',
  description: 'List networks',
  flags: {
    quiet: { type: 'bool', short: 'q', description: 'Only display network IDs' },
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    'no-trunc': { type: 'bool', description: 'Do not truncate the output' },
  },
  args: { max: 0 },
  async run({ flags, io, vessel }) {
    const id = (full: string) => (flags['no-trunc'] ? full : full.slice(0, 12));
    const rows: NetworkRow[] = (await vessel().networks.list()).map((n) => ({
      ID: id(n.Id), Name: n.Name, Driver: n.Driver, Scope: n.Scope, Internal: String(n.Internal),
      Labels: Object.entries(n.Labels).map(([k, v]) => `${k}=${v}`).join(','), CreatedAt: n.Created,
    }));
    if (flags.quiet) {
      io.out.write(rows.map((r) => `${r.ID}\n`).join(''));
      return;
    }
    const table = (items: readonly NetworkRow[]) => renderTable(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], items.map((r) => [r.ID, r.Name, r.Driver, r.Scope]));
    io.out.write(formatItems(flags.format, rows, table, HEADERS));
  },
});
