import { defineCommand } from '../command.js';
import { formatInspect } from '../output/template.js';

export default defineCommand({
  usage: 'vessel image inspect [OPTIONS] IMAGE [IMAGE...]',
  description: 'Display detailed information on one or more images',
  flags: {
    format: { type: 'string', short: 'f', description: "Format output using a custom template: 'json' or a Go-style template", valueName: 'string' },
  },
  args: { min: 1 },
  async run({ args, flags, io, vessel }) {
    const found = [];
    let failed = 0;
    for (const a of args) {
      try {
        found.push(await vessel().images.inspect(a));
      } catch (err) {
        io.err.write(`Error: ${(err as Error).message}\n`);
        failed++;
      }
    }
    io.out.write(formatInspect(flags.format, found));
    return failed > 0 ? 1 : 0;
  },
});
