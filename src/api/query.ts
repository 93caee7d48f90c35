// Query parameters the way moby reads them: booleans are true unless empty, 0, no, false or none
// (httputils.BoolValue); `filters` is JSON, either {"key": ["v"]} or the old {"key": {"v": true}}.
import { ApiError } from './errors.js';

export type Filters = Record<string, string[]>;

const FALSE = new Set(['', '0', 'no', 'false', 'none']);

export class Query {
  constructor(private readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  all(name: string): string[] {
    return this.params.getAll(name);
  }

  bool(name: string, fallback = false): boolean {
    const v = this.params.get(name);
    return v === null ? fallback : !FALSE.has(v.trim().toLowerCase());
  }

  int(name: string): number | undefined {
    const v = this.params.get(name);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw ApiError.invalid(`invalid value for ${name}: ${JSON.stringify(v)}: not an integer`);
    return n;
  }

  /** A JSON-encoded object parameter (`buildargs`, `labels`, `cachefrom`). */
  json<T>(name: string): T | undefined {
    const v = this.params.get(name);
    if (v === null || v === '') return undefined;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw ApiError.invalid(`invalid JSON in ${name}: ${JSON.stringify(v)}`);
    }
  }

  filters(): Filters {
    const raw = this.json<unknown>('filters');
    if (raw === undefined) return {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw ApiError.invalid('invalid filter: filters must be a JSON object');
    const out: Filters = {};
    for (const [key, value] of Object.entries(raw)) {
      if (Array.isArray(value)) out[key] = value.map(String);
      else if (typeof value === 'object' && value !== null) out[key] = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k]);
      else throw ApiError.invalid(`invalid filter '${key}'`);
    }
    return out;
  }
}
