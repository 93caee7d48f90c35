import { defineCommand } from '../command.js';
import { humanSize } from '../output/human.js';
import { confirm } from './confirm.js';

export default defineCommand({
  usage: 'vessel system prune [OPTIONS]',
  description: 'Remove unused data',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Remove all unused images not just dangling ones' },
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
    volumes: { type: 'bool', description: 'Prune anonymous volumes' },
  },
  args: { max: 0 },
  async run(inv) {
    const { flags, io } = inv;
    const what = [
      'all stopped containers',
      'all networks not used by at least one container',
      ...(flags.volumes ? ['all anonymous volumes not used by at least one container'] : []),
      flags.all ? 'all images without at least one container associated to them' : 'all dangling images',
      'unused build cache',
    ];
    if (!flags.force && !(await confirm(io, `WARNING! This will remove:\n${what.map((w) => `  - ${w}\n`).join('')}`))) return 0;
    const r = await inv.vessel().system.prune({ all: flags.all, volumes: flags.volumes });
    const section = (title: string, items: string[]) => (items.length ? `${title}:\n${items.map((i) => `${i}\n`).join('')}\n` : '');
    io.out.write(section('Deleted Containers', r.containers));
    io.out.write(section('Deleted Networks', r.networks));
    io.out.write(section('Deleted Volumes', r.volumes));
    io.out.write(section('Deleted Images', r.images.map((e) => ('Untagged' in e ? `untagged: ${e.Untagged}` : `deleted: ${e.Deleted}`))));
    io.out.write(`Total reclaimed space: ${humanSize(r.spaceReclaimed)}\n`);
  },
});
