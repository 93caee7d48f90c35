import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel rename CONTAINER NEW_NAME',
  description: 'Rename a container',
  flags: {},
  args: { min: 2, max: 2 },
  run(inv) {
    inv.vessel().containers.rename(inv.args[0]!, inv.args[1]!);
  },
});
