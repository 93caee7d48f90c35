import { defineCommand, UsageError } from '../command.js';

export default defineCommand({
  usage: 'vessel volume create [OPTIONS] [VOLUME]',
  description: 'Create a volume',
  flags: {
    driver: { type: 'string', short: 'd', description: 'Specify volume driver name', valueName: 'string', default: 'local' },
    label: { type: 'strings', description: 'Set metadata for a volume', valueName: 'list' },
    name: { type: 'string', description: 'Specify volume name', valueName: 'string', hidden: true },
  },
  args: { max: 1 },
  run(inv) {
    if (inv.flags.driver !== 'local') throw new UsageError(`volume driver "${inv.flags.driver}" is not supported: only "local"`);
    const labels = Object.fromEntries(inv.flags.label.map((l) => [l.split('=')[0]!, l.includes('=') ? l.slice(l.indexOf('=') + 1) : '']));
    const name = inv.args[0] ?? inv.flags.name;
    const v = inv.vessel().volumes.create({ ...(name ? { Name: name } : {}), Labels: labels });
    inv.io.out.write(`${v.Name}\n`);
  },
});
