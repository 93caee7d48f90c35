import { defineCommand } from '../command.js';
import { formatInspect } from '../output/template.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel volume inspect [OPTIONS] VOLUME [VOLUME...]',
  description: 'Display detailed information on one or more volumes',
  flags: {
    format: { type: 'string', short: 'f', description: 'Format output using a Go-style template', valueName: 'string' },
  },
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    const views = inv.args.map((name) => {
      const v = engine.volumes.get(name);
      return { CreatedAt: v.CreatedAt, Driver: v.Driver, Labels: v.Labels, Mountpoint: v.Mountpoint, Name: v.Name, Options: null, Scope: v.Scope };
    });
    inv.io.out.write(formatInspect(inv.flags.format, views));
  },
});
