// A traced command from a front end's point of view: install a recording tracer, run, then write
// the timeline where --trace asked (stderr as text or JSON lines, or a Chrome trace file).
import { writeFileSync, writeSync } from 'node:fs';
import { sys } from '../sys/native.js';
import { sleepSync } from '../sys/sleep.js';
import { setActiveTracer } from './active.js';
import { chromeTrace } from './output/chrome.js';
import { formatJsonLines } from './output/json.js';
import { parseTraceOption, type TraceOutput } from './output/option.js';
export { TraceOptionError } from './output/option.js';
import { formatText } from './output/text.js';
import { RecordingTracer } from './tracer.js';

export interface TraceSession {
  tracer: RecordingTracer;
  /** Collects the steps and writes them out; called once, whether the command succeeded or not. */
  finish(): void;
}

/** Starts tracing this process's command; throws TraceOptionError for a bad --trace value. */
export function startTraceSession(value: string | true, command: string): TraceSession {
  const output: TraceOutput = parseTraceOption(value);
  const tracer = new RecordingTracer();
  setActiveTracer(tracer);
  return {
    tracer,
    finish() {
      const steps = tracer.steps();
      if (output.format === 'text') writeStderr(formatText(steps, stderrIsTerminal() && !process.env.NO_COLOR));
      else if (output.format === 'json') writeStderr(formatJsonLines(steps));
      else writeFileSync(output.file, `${JSON.stringify(chromeTrace(steps, command, process.pid))}\n`);
    },
  };
}

// Straight to fd 2: process.stderr would build a stream, and load the modules behind it (net, for
// a pipe), for this one write: a few milliseconds, more than the timeline itself costs.
function writeStderr(text: string): void {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(2, bytes, done);
    } catch (e) {
      // a stream made on fd 2 earlier may have made it non-blocking: wait for the reader
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      sleepSync(1);
    }
  }
}

/** A terminal answers TIOCGWINSZ; a pipe or a file does not (and tty.isatty would load net). */
function stderrIsTerminal(): boolean {
  try {
    sys().getWinsize(2);
    return true;
  } catch {
    return false;
  }
}
