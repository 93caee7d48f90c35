// A traced command from a front end's point of view: install a recording tracer, run, then write
// the timeline where --trace asked (stderr as text or JSON lines, or a Chrome trace file).
import { writeFileSync } from 'node:fs';
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
      if (output.format === 'text') process.stderr.write(formatText(steps, process.stderr.isTTY === true && !process.env.NO_COLOR));
      else if (output.format === 'json') process.stderr.write(formatJsonLines(steps));
      else writeFileSync(output.file, `${JSON.stringify(chromeTrace(steps, command, process.pid))}\n`);
    },
  };
}
