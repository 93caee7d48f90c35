import { renameContainer } from '../../../engine/lifecycle/rename.js';
import { defineCommand } from '../command.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel rename CONTAINER NEW_NAME',
  description: 'Rename a container',
  flags: {},
  args: { min: 2, max: 2 },
  async run(inv) {
    await renameContainer(engineOf(inv), inv.args[0]!, inv.args[1]!);
  },
});
