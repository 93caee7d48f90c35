// `--filter key=value` flags: a value without `=` is a wrong invocation (docker exits 125).
import { FilterFormatError, parseFilters, type FilterArgs } from '../../engine/filters/filter-args.js';
import { UsageError } from './command.js';

export function filterFlags(values: readonly string[]): FilterArgs {
  try {
    return parseFilters(values);
  } catch (e) {
    if (e instanceof FilterFormatError) throw new UsageError(e.message);
    throw e;
  }
}
