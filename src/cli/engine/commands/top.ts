import { containerTop } from '../../../engine/lifecycle/top.js';
import { defineCommand } from '../command.js';
import { renderTable } from '../output/table.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel top CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  flags: {},
  args: { min: 1 },
  interspersed: false,
  run(inv) {
    const [ref, ...psArgs] = inv.args as [string, ...string[]];
    const list = containerTop(engineOf(inv), ref, psArgs);
    inv.io.out.write(renderTable(list.Titles, list.Processes));
  },
});
