import { removeUserNetwork } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel network rm NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not error if the network does not exist' },
  },
  args: { min: 1 },
  run({ args, flags, io, root, store }) {
    const db = store().db;
    return forEachContainer(args, io, async (ref) => {
      if (flags.force && !db.sql.prepare('SELECT 1 FROM networks WHERE name = ? OR id = ?').get(ref, ref)) return;
      await removeUserNetwork(root, db, ref);
    });
  },
});
