// The value of --trace: where the timeline goes and in which format.
import { VesselError } from '../../vessel-error.js';
export type TraceOutput =
  | { format: 'text' }
  | { format: 'json' }
  | { format: 'chrome'; file: string };

export class TraceOptionError extends VesselError {
  override name = 'TraceOptionError';
  readonly code = 'TRACE_OPTION';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
  }
}

/** `--trace` (true or ""), `--trace=text`, `--trace=json`, `--trace=FILE.json`. */
export function parseTraceOption(value: string | true): TraceOutput {
  if (value === true || value === '' || value === 'text') return { format: 'text' };
  if (value === 'json') return { format: 'json' };
  if (value.endsWith('.json')) return { format: 'chrome', file: value };
  throw new TraceOptionError(`--trace=${value}: expected text, json or a FILE.json to write a Chrome trace to`);
}
