import type { Readable, Writable } from 'node:stream';
import { expandEnv } from '../../../engine/config/parse.js';
import { defineCommand } from '../command.js';

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
    const out = io.out as NodeJS.WriteStream;
    const tty = flags.tty && !flags.detach;
    const consoleSize = tty && out.isTTY && out.rows && out.columns ? { height: out.rows, width: out.columns } : undefined;
    const stdin = tty && flags.interactive ? (io.in as NodeJS.ReadStream) : undefined;
    const session = await inv.vessel().containers.exec(args[0]!, {
      cmd: args.slice(1), env: flags.env.flatMap((e) => expandEnv(e, process.env)), privileged: flags.privileged, tty, detach: flags.detach,
      ...(flags.workdir !== undefined ? { workdir: flags.workdir } : {}), ...(flags.user !== undefined ? { user: flags.user } : {}),
      ...(consoleSize ? { consoleSize } : {}),
    }, { stdout: out as unknown as Writable, ...(stdin ? { stdin: stdin as unknown as Readable } : {}) });
    if (!session.relaysTerminal) return session.wait();
    // the terminal is ours to manage: raw mode and window size
    const resize = () => {
      if (out.isTTY && out.rows && out.columns) session.resize(out.rows, out.columns);
    };
    resize();
    const raw = stdin?.isTTY === true;
    if (raw) stdin!.setRawMode(true);
    process.on('SIGWINCH', resize);
    try {
      return await session.wait();
    } finally {
      process.off('SIGWINCH', resize);
      if (raw) stdin!.setRawMode(false);
      stdin?.pause();
    }
  },
});
