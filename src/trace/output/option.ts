// The value of --trace: where the timeline goes and in which format.
export type TraceOutput =
  | { format: 'text' }
  | { format: 'json' }
  | { format: 'chrome'; file: string };

export class TraceOptionError extends Error {
  override name = 'TraceOptionError';
  readonly code = 'TRACE_OPTION';
}

/** `--trace` (true or ""), `--trace=text`, `--trace=json`, `--trace=FILE.json`. */
export function parseTraceOption(value: string | true): TraceOutput {
  if (value === true || value === '' || value === 'text') return { format: 'text' };
  if (value === 'json') return { format: 'json' };
  if (value.endsWith('.json')) return { format: 'chrome', file: value };
  throw new TraceOptionError(`--trace=${value}: expected text, json or a FILE.json to write a Chrome trace to`);
}
