import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  description: "Create a new image from a container's changes",
  flags: {
    author: { type: 'string', short: 'a', description: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")', valueName: 'string' },
    change: { type: 'strings', short: 'c', description: 'Apply Dockerfile instruction to the created image', valueName: 'list' },
    message: { type: 'string', short: 'm', description: 'Commit message', valueName: 'string' },
    pause: { type: 'bool', short: 'p', description: 'Pause container during commit', default: true },
  },
  args: { min: 1, max: 2 },
  async run(inv) {
    const image = await inv.vessel().containers.commit(inv.args[0]!, {
      ...(inv.args[1] ? { reference: inv.args[1] } : {}),
      changes: inv.flags.change,
      ...(inv.flags.message ? { message: inv.flags.message } : {}),
      ...(inv.flags.author ? { author: inv.flags.author } : {}),
      pause: inv.flags.pause,
    });
    inv.io.out.write(`${image.Id}\n`);
  },
});
