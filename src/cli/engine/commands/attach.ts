import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodeAfterSession } from '../../../engine/lifecycle/exit-code.js';
import { liveState } from '../../../engine/lifecycle/status.js';
import { EngineError } from '../../../engine/errors.js';
import { defineCommand } from '../command.js';
import { attachTerminal } from './attach-terminal.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel attach [OPTIONS] CONTAINER',
  description: "Attach local standard input, output, and error streams to a running container",
  flags: {
    'no-stdin': { type: 'bool', description: 'Do not attach STDIN' },
    'sig-proxy': { type: 'bool', description: 'Proxy all received signals to the process', default: true },
  },
  args: { min: 1, max: 1 },
  async run(inv) {
    const engine = engineOf(inv);
    const rec = engine.containers.resolve(inv.args[0]!);
    const status = liveState(engine, rec).status;
    if (status !== 'running' && status !== 'paused') throw new EngineError('BAD_STATE', 'You cannot attach to a stopped container, start it first', rec.id);
    // docker attaches stdin only when the container was created with it open (-i)
    const withStdin = !inv.flags['no-stdin'] && rec.config.OpenStdin;
    const session = await attachTerminal(engine, rec, inv.io, withStdin, inv.flags['sig-proxy']);
    const { ended } = await session.done;
    return ended ? exitCodeAfterSession(engine, rec.id, () => sleep(10)) : 0;
  },
});
