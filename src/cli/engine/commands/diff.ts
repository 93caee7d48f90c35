import { containerChanges } from '../../../engine/fs/diff.js';
import { defineCommand } from '../command.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel diff CONTAINER',
  description: "Inspect changes to files or directories on a container's filesystem",
  flags: {},
  args: { min: 1, max: 1 },
  run(inv) {
    for (const c of containerChanges(engineOf(inv), inv.args[0]!)) inv.io.out.write(`${c.kind} ${c.path}\n`);
  },
});
