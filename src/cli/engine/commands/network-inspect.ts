import type { NetworkInspect } from '../../../engine/networks/index.js';
import { defineCommand } from '../command.js';
import { compileTemplate } from '../output/template.js';

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
    if (!flags.format || flags.format === 'json') io.out.write(`${JSON.stringify(found, null, 4)}\n`);
    else {
      const t = compileTemplate(flags.format);
      io.out.write(found.map((n) => `${t.render(n)}\n`).join(''));
    }
    return code;
  },
});
