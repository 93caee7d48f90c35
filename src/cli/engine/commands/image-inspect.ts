import { defineCommand } from '../command.js';
import { compileTemplate } from '../output/template.js';

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
    if (!flags.format || flags.format === 'json') io.out.write(`${JSON.stringify(found, null, 4)}\n`);
    else {
      const t = compileTemplate(flags.format);
      for (const f of found) io.out.write(`${t.render(f)}\n`);
    }
    return failed > 0 ? 1 : 0;
  },
});
