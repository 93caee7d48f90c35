import { inspectContainer } from '../../../engine/lifecycle/inspect.js';
import { defineCommand } from '../command.js';
import { formatInspect } from '../output/template.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel inspect [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Return low-level information on containers',
  flags: {
    format: { type: 'string', short: 'f', description: 'Format output using a Go-style template', valueName: 'string' },
    size: { type: 'bool', short: 's', description: 'Display total file sizes' },
  },
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    const views = inv.args.map((ref) => inspectContainer(engine, engine.containers.resolve(ref)));
    inv.io.out.write(formatInspect(inv.flags.format, views));
  },
});
