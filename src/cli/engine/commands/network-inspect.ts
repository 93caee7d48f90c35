import { DEFAULT_NETWORK, ensureNetwork, requireNetwork } from '../../../network/index.js';
import { defineCommand } from '../command.js';
import { formatInspect } from '../output/template.js';
import { inspectNetwork, type NetworkInspect } from './network-view.js';

export default defineCommand({
  usage: 'vessel network inspect [OPTIONS] NETWORK [NETWORK...]',
  description: 'Display detailed information on one or more networks',
  flags: {
    format: { type: 'string', short: 'f', description: "Format output using a custom template: 'json' or a Go-style template", valueName: 'string' },
  },
  args: { min: 1 },
  run({ args, flags, io, store }) {
    const db = store().db.sql;
    const found: NetworkInspect[] = [];
    let code = 0;
    for (const a of args) {
      try {
        found.push(inspectNetwork(db, a === DEFAULT_NETWORK ? ensureNetwork(db, a) : requireNetwork(db, a)));
      } catch (e) {
        io.err.write(`Error response from daemon: ${(e as Error).message}\n`);
        code = 1;
      }
    }
    io.out.write(formatInspect(flags.format, found));
    return code;
  },
});
