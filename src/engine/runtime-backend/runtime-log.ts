// What an external runtime said when it failed: it writes JSON lines ({"level":"error","msg":...})
// to the --log file the supervisor gives it, since its stderr is the container's.
import { readFileSync } from 'node:fs';

interface LogLine {
  level?: string;
  msg?: string;
}

function parse(line: string): LogLine | undefined {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

/** The last error-level message in the log, if any. */
export function lastRuntimeError(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const errors = text.split('\n').map(parse).filter((l): l is LogLine => l?.level === 'error' && typeof l.msg === 'string');
  return errors.at(-1)?.msg;
}
