import { execInContainer, execTerminalVia, waitForwardingSignals } from '../../../engine/lifecycle/exec.js';
import { expandEnv } from '../../../engine/config/parse.js';
import { sys } from '../../../sys/native.js';
import { defineCommand } from '../command.js';
import { engineOf } from './container-context.js';
import { relayTerminal } from './exec-terminal.js';

export default defineCommand({
  usage: 'vessel exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Execute a command in a running container',
  flags: {
    detach: { type: 'bool', short: 'd', description: 'Detached mode: run command in the background' },
    env: { type: 'strings', short: 'e', description: 'Set environment variables', valueName: 'list' },
    interactive: { type: 'bool', short: 'i', description: 'Keep STDIN open even if not attached' },
    privileged: { type: 'bool', description: 'Give extended privileges to the command' },
    tty: { type: 'bool', short: 't', description: 'Allocate a pseudo-TTY' },
    user: { type: 'string', short: 'u', description: 'Username or UID (format: "<name|uid>[:<group|gid>]")', valueName: 'string' },
    workdir: { type: 'string', short: 'w', description: 'Working directory inside the container', valueName: 'string' },
  },
  args: { min: 2 },
  interspersed: false,
  async run(inv) {
    const { flags, args, io } = inv;
    const engine = engineOf(inv);
    const req = {
      container: args[0]!, cmd: args.slice(1), env: flags.env.flatMap((e) => expandEnv(e, process.env)), privileged: flags.privileged,
      tty: flags.tty && !flags.detach, ...(flags.workdir !== undefined ? { workdir: flags.workdir } : {}), ...(flags.user !== undefined ? { user: flags.user } : {}),
    };
    // runc and crun make an exec's terminal themselves, relaying it over the stdio we give them
    if (!req.tty || execTerminalVia(engine, req.container) === 'relayed-by-runtime') {
      const pid = await execInContainer(engine, req);
      if (flags.detach) return 0;
      return waitForwardingSignals(pid);
    }
    const [ours, theirs] = sys().socketPair();
    const out = io.out as NodeJS.WriteStream;
    const consoleSize = out.isTTY && out.rows && out.columns ? { height: out.rows, width: out.columns } : undefined;
    const pid = await execInContainer(engine, { ...req, consoleFd: theirs, ...(consoleSize ? { consoleSize } : {}) });
    return relayTerminal(ours, theirs, pid, io, flags.interactive);
  },
});
