import { defineCommand, UsageError } from '../command.js';
import { keyValues } from '../flags.js';

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
  },  args: { min: 1, max: 1 },
  async run({ args, flags, io, vessel }) {
    const single = (name: string, values: string[]) => {
      if (values.length > 1) throw new UsageError(`only one --${name} is supported (IPv4 only)`);
      return values[0];
    };
    const [subnet, gateway, ipRange] = [single('subnet', flags.subnet), single('gateway', flags.gateway), single('ip-range', flags['ip-range'])];
    const pool = { ...(subnet ? { Subnet: subnet } : {}), ...(gateway ? { Gateway: gateway } : {}), ...(ipRange ? { IPRange: ipRange } : {}) };
    const n = await vessel().networks.create({
      Name: args[0]!,
      ...(flags.driver ? { Driver: flags.driver } : {}),
      IPAM: { Config: Object.keys(pool).length ? [pool] : [] },
      Internal: flags.internal,
      Labels: keyValues(flags.label),
      Options: keyValues(flags.opt),
    });
    io.out.write(`${n.Id}\n`);
  },
});
