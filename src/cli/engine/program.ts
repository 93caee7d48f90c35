// The `vessel` program: runs main on this process's arguments and stdio, and sets the exit code.
import { UsageError, type Io } from './command.js';
import { CommandFailed, main } from './main.js';

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Each stdio stream is built on first use: Node constructs them lazily, and most commands never
 * touch stdin (a pipe or a tty costs milliseconds to set up). */
function processIo(): Io {
  return {
    get out() {
      return process.stdout;
    },
    get err() {
      return process.stderr;
    },
    get in() {
      return process.stdin;
    },
  };
}

export function runVessel(argv: readonly string[]): Promise<void> {
  const io = processIo();
  return main(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage = err instanceof UsageError;
      io.err.write(usage ? `${describe(err)}\n` : `Error: ${describe(err)}\n`);
      if (process.env.VESSEL_DEBUG && err instanceof Error) io.err.write(`${(err instanceof CommandFailed && err.cause instanceof Error ? err.cause : err).stack}\n`);
      process.exitCode = usage ? 125 : err instanceof CommandFailed ? err.exitCode : 1;
    },
  );
}
