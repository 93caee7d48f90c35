import { labelFilter } from '../../../engine/volumes.js';
import { defineCommand, UsageError } from '../command.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';
import { engineOf } from './container-context.js';

interface VolumeLine {
  Driver: string;
  Name: string;
  Mountpoint: string;
  Labels: string;
  Scope: string;
  CreatedAt: string;
}

export default defineCommand({
  usage: 'vessel volume ls [OPTIONS]',
  description: 'List volumes',
  flags: {
    filter: { type: 'strings', short: 'f', description: "Provide filter values (e.g. 'dangling=true', 'name=NAME', 'label=KEY[=VALUE]')", valueName: 'filter' },
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    quiet: { type: 'bool', short: 'q', description: 'Only display volume names' },
  },
  args: { max: 0 },
  run(inv) {
    const engine = engineOf(inv);
    const labels = labelFilter(inv.flags.filter.filter((f) => f.startsWith('label')));
    const other = inv.flags.filter.filter((f) => !f.startsWith('label')).map((f) => {
      const [k, v = ''] = f.split(/=(.*)/s) as [string, string?];
      if (k === 'name') return (name: string) => name.includes(v);
      if (k === 'dangling') return (name: string) => (engine.containers.usingVolume(name).length === 0) === (v === 'true' || v === '1');
      throw new UsageError(`invalid filter '${f}'`);
    });
    const volumes = engine.volumes.list().filter((v) => (!labels || labels(v.Labels)) && other.every((t) => t(v.Name)));
    if (inv.flags.quiet) return void inv.io.out.write(volumes.map((v) => `${v.Name}\n`).join(''));
    const lines: VolumeLine[] = volumes.map((v) => ({ Driver: v.Driver, Name: v.Name, Mountpoint: v.Mountpoint, Labels: Object.entries(v.Labels).map(([k, x]) => `${k}=${x}`).join(','), Scope: v.Scope, CreatedAt: v.CreatedAt }));
    inv.io.out.write(formatItems(inv.flags.format, lines, (items) => renderTable(['DRIVER', 'VOLUME NAME'], items.map((l) => [l.Driver, l.Name])), { Name: 'VOLUME NAME' }));
  },
});
