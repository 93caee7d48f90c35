import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel port CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  flags: {},
  args: { min: 1, max: 2 },
  async run(inv) {
    const [ref, privatePort] = inv.args as [string, string | undefined];
    const lines = await inv.vessel().containers.port(ref, privatePort);
    // with a port given docker prints only the host side
    inv.io.out.write(lines.map((l) => `${privatePort === undefined ? `${l.containerPort} -> ` : ''}${l.hostIp}:${l.hostPort}\n`).join(''));
  },
});
