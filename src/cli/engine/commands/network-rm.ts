import { removeNetwork, requireNetwork } from '../../../network/index.js';
import { linkedContainers } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel network rm NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not error if the network does not exist' },
  },
  args: { min: 1 },
  run({ args, flags, io, store }) {
    const db = store().db.sql;
    return forEachContainer(args, io, (ref) => {
      if (flags.force && !db.prepare('SELECT 1 FROM networks WHERE name = ? OR id = ?').get(ref, ref)) return;
      const n = requireNetwork(db, ref);
      // stopped containers that will rejoin it at their next start hold it too
      const linked = linkedContainers(db, n.id);
      if (linked.length) throw new Error(`network ${n.name} is in use by container(s) ${linked.map((c) => c.slice(0, 12)).join(', ')}`);
      removeNetwork(db, n.id);
    });
  },
});
