import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel rmi [OPTIONS] IMAGE [IMAGE...]',
  description: 'Remove one or more images',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force removal of the image' },
  },
  args: { min: 1 },
  async run(inv) {
    const { args, flags, io } = inv;
    let failed = 0;
    for (const ref of args) {
      try {
        for (const e of await inv.vessel().images.remove(ref, { force: flags.force })) {
          io.out.write('Untagged' in e ? `Untagged: ${e.Untagged}\n` : `Deleted: ${e.Deleted}\n`);
        }
      } catch (err) {
        io.err.write(`Error: ${(err as Error).message}\n`);
        failed++;
      }
    }
    return failed > 0 ? 1 : 0;
  },
});
