import { defineCommand } from '../command.js';
import { relayTerminal, terminalStreams } from './attach-terminal.js';

export default defineCommand({
  usage: 'vessel attach [OPTIONS] CONTAINER',
  description: "Attach local standard input, output, and error streams to a running container",
  flags: {
    'detach-keys': { type: 'string', description: 'Override the key sequence for detaching a container', valueName: 'string' },
    'no-stdin': { type: 'bool', description: 'Do not attach STDIN' },
    'sig-proxy': { type: 'bool', description: 'Proxy all received signals to the process', default: true },
  },
  args: { min: 1, max: 1 },
  async run(inv) {
    const containers = inv.vessel().containers;
    // docker attaches stdin only when the container was created with it open (-i)
    const withStdin = !inv.flags['no-stdin'] && containers.record(inv.args[0]!).config.OpenStdin;
    const { parseDetachKeys } = await import('../../../engine/sessions/attach.js');
    const detachKeys = inv.flags['detach-keys'] ? parseDetachKeys(inv.flags['detach-keys']) : undefined;
    const session = await containers.attach(inv.args[0]!, terminalStreams(inv.io, withStdin), detachKeys ? { detachKeys } : {});
    const { ended } = await relayTerminal(session, inv.io, { withStdin, proxySignals: inv.flags['sig-proxy'] });
    return ended ? session.exitCode() : 0;
  },
});
