import { createUserNetwork } from '../../../engine/network/index.js';
import { defineCommand, UsageError } from '../command.js';
import { keyValues } from './network-view.js';

export default defineCommand({
  usage: 'vessel network create [OPTIONS] NETWORK',
  description: 'Create a network',
  flags: {
    driver: { type: 'string', short: 'd', description: 'Driver to manage the Network', valueName: 'string', default: 'bridge' },
    subnet: { type: 'strings', description: 'Subnet in CIDR format that represents a network segment', valueName: 'strings' },
    gateway: { type: 'strings', description: 'IPv4 Gateway for the master subnet', valueName: 'strings' },
    'ip-range': { type: 'strings', description: 'Allocate container ip from a sub-range', valueName: 'strings' },
    internal: { type: 'bool', description: 'Restrict external access to the network' },
    label: { type: 'strings', description: 'Set metadata on a network', valueName: 'list' },
    opt: { type: 'strings', short: 'o', description: 'Set driver specific options', valueName: 'map' },
  },
  args: { min: 1, max: 1 },
  async run({ args, flags, io, root, store }) {
    const single = (name: string, values: string[]) => {
      if (values.length > 1) throw new UsageError(`only one --${name} is supported (IPv4 only)`);
      return values[0];
    };
    const n = await createUserNetwork(root, store().db, {
      name: args[0]!,
      driver: flags.driver,
      subnet: single('subnet', flags.subnet),
      gateway: single('gateway', flags.gateway),
      ipRange: single('ip-range', flags['ip-range']),
      internal: flags.internal,
      labels: keyValues(flags.label),
      options: keyValues(flags.opt),
    });
    io.out.write(`${n.id}\n`);
  },
});
