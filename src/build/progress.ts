// Build progress as BuildKit's plain output prints it: one numbered line per step, `CACHED` for a
// reused step, the step's output prefixed with its number, and `DONE <seconds>`. On a terminal
// (`tty`) the same lines, with the step's output kept short.
import { Writable } from 'node:stream';

export interface ProgressSink {
  step(stage: string, n: number, total: number, text: string): StepProgress;
  warn(message: string): void;
}

export interface StepProgress {
  readonly out: Writable;
  cached(): void;
  done(): void;
  failed(message: string): void;
}

export function plainProgress(stream: NodeJS.WritableStream, quiet = false): ProgressSink {
  let counter = 0;
  const write = (line: string) => {
    if (!quiet) stream.write(`${line}\n`);
  };
  return {
    warn: (message) => write(`WARNING: ${message}`),
    step(stage, n, total, text) {
      const id = ++counter;
      const started = Date.now();
      write(`#${id} [${stage ? `${stage} ` : ''}${n}/${total}] ${text}`);
      let partial = '';
      const out = new Writable({
        write(chunk: Buffer, _enc, cb) {
          const text = partial + chunk.toString('utf8');
          const lines = text.split('\n');
          partial = lines.pop()!;
          const t = ((Date.now() - started) / 1000).toFixed(3);
          for (const l of lines) write(`#${id} ${t} ${l}`);
          cb();
        },
        final(cb) {
          if (partial) write(`#${id} ${((Date.now() - started) / 1000).toFixed(3)} ${partial}`);
          partial = '';
          cb();
        },
      });
      const flush = () => {
        if (partial) write(`#${id} ${((Date.now() - started) / 1000).toFixed(3)} ${partial}`);
        partial = '';
      };
      return {
        out,
        cached: () => write(`#${id} CACHED`),
        done: () => {
          flush();
          write(`#${id} DONE ${((Date.now() - started) / 1000).toFixed(1)}s`);
        },
        failed: (message) => {
          flush();
          write(`#${id} ERROR: ${message}`);
        },
      };
    },
  };
}
