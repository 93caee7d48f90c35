import { cleanupContainer } from '../../../engine/lifecycle/cleanup.js';
import { defineCommand } from '../command.js';
import { engineOf } from './container-context.js';

// Run by a container's supervisor when the container has ended (its --on-exit).
export default defineCommand({
  usage: 'vessel container cleanup CONTAINER',
  description: "Record a container's exit and release what it held (run by its supervisor)",
  flags: {},
  args: { min: 1, max: 1 },
  async run(inv) {
    await cleanupContainer(engineOf(inv), inv.args[0]!);
  },
});
