import { defineCommand } from '../command.js';
import { ago, humanSize } from '../output/human.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';

interface Row {
  ID: string;
  CreatedSince: string;
  CreatedAt: string;
  CreatedBy: string;
  Size: string;
  Comment: string;
}

const HEADERS: Record<string, string> = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

export default defineCommand({
  usage: 'vessel history [OPTIONS] IMAGE',
  description: 'Show the history of an image',
  flags: {
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    human: { type: 'bool', short: 'H', description: 'Print sizes and dates in human readable format', default: true },
    'no-trunc': { type: 'bool', description: "Don't truncate output" },
    quiet: { type: 'bool', short: 'q', description: 'Only show image IDs' },
  },
  args: { min: 1, max: 1 },
  async run({ args, flags, io, vessel }) {
    const history = await vessel().images.history(args[0]!);
    const short = (id: string): string => (flags['no-trunc'] || id === '<missing>' ? id : id.slice(7, 19));
    if (flags.quiet) {
      io.out.write(history.map((h) => `${short(h.Id)}\n`).join(''));
      return;
    }
    const rows = history.map((h): Row => {
      const by = h.CreatedBy.replace(/\s+/g, ' ');
      return {
        ID: short(h.Id),
        CreatedSince: flags.human ? ago(h.Created) : new Date(h.Created * 1000).toISOString(),
        CreatedAt: new Date(h.Created * 1000).toISOString(),
        CreatedBy: flags['no-trunc'] || by.length <= 45 ? by : `${by.slice(0, 44)}…`,
        Size: flags.human ? humanSize(h.Size) : String(h.Size),
        Comment: h.Comment,
      };
    });
    const cols: (keyof Row)[] = ['ID', 'CreatedSince', 'CreatedBy', 'Size', 'Comment'];
    io.out.write(formatItems(flags.format, rows, (items) => renderTable(cols.map((c) => HEADERS[c]!), items.map((r) => cols.map((c) => r[c]))), HEADERS));
  },
});
