// docker's filter arguments (`--filter key=value`, the API's `filters` map): values of one key
// are alternatives (OR), different keys must all match (AND), unknown keys are refused.
import { VesselError } from '../../vessel-error.js';

/** `--filter foo` without `=`: docker refuses it while parsing flags. */
export class FilterFormatError extends VesselError {
  readonly code = 'FILTER_FORMAT';
  constructor(readonly value: string) {
    super(`invalid argument "${value}" for "-f, --filter" flag: bad format of filter (expected name=value)`, { status: 'invalidParameter', object: value });
    this.name = 'FilterFormatError';
  }
}

/** A filter the engine does not accept, or a value it cannot use (docker: "invalid filter 'k=v'"). */
export class InvalidFilterError extends VesselError {
  readonly code = 'INVALID_FILTER';
  constructor(
    readonly key: string,
    readonly value?: string,
    detail?: string,
  ) {
    super(`invalid filter '${value === undefined ? key : `${key}=${value}`}'${detail ? `: ${detail}` : ''}`, { status: 'invalidParameter', object: key });
    this.name = 'InvalidFilterError';
  }
}

export type FilterArgs = ReadonlyMap<string, readonly string[]>;

/** Parses `key=value` flags; the same key may repeat. */
export function parseFilters(flags: readonly string[]): FilterArgs {
  const args = new Map<string, string[]>();
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq < 0) throw new FilterFormatError(f);
    const key = f.slice(0, eq).trim().toLowerCase();
    const value = f.slice(eq + 1).trim();
    const values = args.get(key) ?? [];
    if (!values.includes(value)) values.push(value);
    args.set(key, values);
  }
  return args;
}

export function validateKeys(args: FilterArgs, accepted: readonly string[]): void {
  for (const key of args.keys()) if (!accepted.includes(key)) throw new InvalidFilterError(key);
}

/** docker's Args.Match: a value equal to the source, or a regular expression found in it. */
export function matchesAny(values: readonly string[], source: string): boolean {
  return values.some((v) => {
    if (v === source) return true;
    try {
      return new RegExp(v).test(source);
    } catch {
      return false;
    }
  });
}

/** docker's MatchKVList for labels: every `key` must exist and every `key=value` must hold. */
export function matchesLabels(values: readonly string[], labels: Readonly<Record<string, string>>): boolean {
  return values.every((v) => {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    if (!Object.hasOwn(labels, key)) return false;
    return eq < 0 || labels[key] === v.slice(eq + 1);
  });
}

/** docker's boolean filter values: only `true` and `false`. */
export function booleanValue(args: FilterArgs, key: string): boolean | undefined {
  const values = args.get(key);
  if (!values) return undefined;
  if (values.includes('true')) return true;
  if (values.includes('false')) return false;
  throw new InvalidFilterError(key, values[0]);
}
