import type { NetworkInspect } from '../../../engine/networks/index.js';
import { defineCommand } from '../command.js';
import { formatInspect } from '../output/template.js';

export default defineCommand({
  usage: 'vessel network inspect [OPTIONS] NETWORK [NETWORK...]',
  description: 'Display detailed information on one or more networks',
  flags: {
    format: { type: 'string', short: 'f', description: "Format output using a custom template: 'json' or a Go-style template", valueName: 'string' },
  },  args: { min: 1 },
  async run({ args, flags, io, vessel }) {
    const found: NetworkInspect[] = [];
    let code = 0;
    for (const a of args) {
      try {
        found.push(await vessel().networks.inspect(a));
      } catch (e) {
        io.err.write(`Error response from daemon: ${(e as Error).message}\n`);
        code = 1;
      }
    }
    io.out.write(formatInspect(flags.format, found));
    return code;
  },
});
