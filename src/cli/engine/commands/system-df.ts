import { diskUsage, type DiskUsageRow } from '../../../engine/system/df.js';
import { familiar } from '../../../engine/references.js';
import { defineCommand } from '../command.js';
import { ago, humanSize } from '../output/human.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';
import { engineOf } from './container-context.js';

interface DfLine {
  Type: string;
  TotalCount: string;
  Active: string;
  Size: string;
  Reclaimable: string;
}

function line(r: DiskUsageRow): DfLine {
  const percent = r.Type !== 'Build Cache' && r.Size > 0 ? ` (${Math.round((r.Reclaimable / r.Size) * 100)}%)` : r.Type === 'Build Cache' ? '' : ' (0%)';
  return { Type: r.Type, TotalCount: String(r.TotalCount), Active: String(r.Active), Size: humanSize(r.Size), Reclaimable: `${humanSize(r.Reclaimable)}${percent}` };
}

export default defineCommand({
  usage: 'vessel system df [OPTIONS]',
  description: 'Show docker disk usage',
  flags: {
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    verbose: { type: 'bool', short: 'v', description: 'Show detailed information on space usage' },
  },
  args: { max: 0 },
  run(inv) {
    const usage = diskUsage(engineOf(inv));
    const out = inv.io.out;
    if (!inv.flags.verbose) {
      const table = (items: readonly DfLine[]) => renderTable(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], items.map((l) => [l.Type, l.TotalCount, l.Active, l.Size, l.Reclaimable]));
      out.write(formatItems(inv.flags.format, usage.rows.map(line), table, { TotalCount: 'TOTAL' }));
      return;
    }
    out.write('Images space usage:\n\n');
    out.write(renderTable(['REPOSITORY:TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'CONTAINERS'], usage.images.map((i) => [familiar(i.names).join(',') || '<none>', i.id.slice(7, 19), ago(i.created / 1000), humanSize(i.size), String(i.containers)])));
    out.write('\nContainers space usage:\n\n');
    out.write(renderTable(['CONTAINER ID', 'IMAGE', 'SIZE', 'CREATED', 'STATUS', 'NAMES'], usage.containers.map((c) => [c.id.slice(0, 12), c.image, humanSize(c.size), ago(Date.parse(c.created) / 1000), c.status, c.name])));
    out.write('\nLocal Volumes space usage:\n\n');
    out.write(renderTable(['VOLUME NAME', 'LINKS', 'SIZE'], usage.volumes.map((v) => [v.name, String(v.links), humanSize(v.size)])));
    out.write('\nBuild cache usage: 0B\n');
  },
});
