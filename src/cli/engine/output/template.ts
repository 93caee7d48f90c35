// docker's `--format`: one implementation for every command. A format is "" (the command's
// default), "json" (one JSON object per line; for inspect, the indented array), "table" (the
// default table), "table TEMPLATE" (a header line made from the template, then aligned rows) or
// a Go template, run per item with docker's functions (json join split title lower upper pad
// truncate). Errors are docker's: `template parsing error: template: :1:2: ...`.
import { VesselError } from '../../../vessel-error.js';
import { tabwrite } from './tabwriter.js';
import {
  DOCKER_FUNCTIONS,
  HEADER_FUNCTIONS,
  looksLikeStruct,
  parseGoTemplate,
  TemplateExecError,
  TemplateParseError,
  toJson,
  type ExecOptions,
  type GoTemplate,
} from './template/index.js';

/** A --format that failed to parse or run; docker exits 1 for these. */
export class FormatError extends VesselError {
  readonly code = 'FORMAT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { status: 'invalidParameter', cause: options?.cause });
    this.name = 'FormatError';
  }
}

/** docker's preFormat for list formats: `\t` and `\n` typed as two characters become a tab and a newline. */
function unescape(text: string): string {
  return text.trim().replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

function wrap(e: unknown): never {
  if (e instanceof TemplateParseError || e instanceof TemplateExecError) throw new FormatError(`template parsing error: ${e.message}`, { cause: e });
  throw e;
}

/** Parses a Go template with docker's functions, as docker's templates.Parse does. */
export function dockerTemplate(text: string): GoTemplate {
  try {
    return parseGoTemplate(text, { funcs: DOCKER_FUNCTIONS });
  } catch (e) {
    return wrap(e);
  }
}

function run(t: GoTemplate, data: unknown, options?: ExecOptions): string {
  try {
    return t.execute(data, options);
  } catch (e) {
    return wrap(e);
  }
}

/** docker's header names from field names: CreatedAt -> CREATED AT. */
function headerOf(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toUpperCase();
}

/** The object docker marshals for `json` on a list row: its fields in sorted order. */
function sortedFields<T>(item: T): T {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const m = item as Record<string, unknown>;
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]])) as T;
}

export interface ListFormat {
  /** header names where docker's differ from the field name in capitals (ID -> CONTAINER ID) */
  headers?: Record<string, string>;
  /** the Go type docker names when a row has no such field (`*formatter.ContainerContext`) */
  rowType?: string;
}

/**
 * Prints `items` for a list command's `--format`: "" or "table" is the command's default table,
 * "json" one JSON object per line, "table TEMPLATE" an aligned table, anything else a template
 * run per item with a newline after each.
 */
export function formatItems<T>(
  format: string | undefined,
  items: readonly T[],
  defaultTable: (items: readonly T[]) => string,
  headerNames: Record<string, string> = {},
  options: Omit<ListFormat, 'headers'> = {},
): string {
  if (format === undefined || format === '' || format === 'table') return defaultTable(items);
  if (format === 'json') return items.map((i) => `${toJson(sortedFields(i))}\n`).join('');
  const table = format.startsWith('table');
  const t = dockerTemplate(unescape(table ? format.slice('table'.length) : format));
  const rows = items.map((item) => {
    const row = sortedFields(item);
    const exec: ExecOptions = options.rowType ? { structName: (m) => (m === row ? options.rowType : undefined) } : {};
    return `${run(t, row, exec)}\n`;
  });
  if (!table) return rows.join('');
  return tabwrite(`${header(t, format, items, headerNames)}\n${rows.join('')}`);
}

/** The header line: the template run over the header names with docker's header functions. */
function header<T>(t: GoTemplate, format: string, items: readonly T[], names: Record<string, string>): string {
  // the fields the template names have headers even when there is no row to take them from
  const fields = new Set<string>([...Object.keys(names), ...[...format.matchAll(/\.([A-Z][A-Za-z0-9_]*)/g)].map((m) => m[1]!)]);
  for (const i of items) if (i && typeof i === 'object') for (const k of Object.keys(i)) fields.add(k);
  const headers = Object.fromEntries([...fields].map((f) => [f, names[f] ?? headerOf(f)]));
  try {
    return t.withFunctions(HEADER_FUNCTIONS).execute(headers);
  } catch (e) {
    // docker ignores a header that fails (a method with arguments) and keeps what it wrote
    if (e instanceof TemplateExecError) return e.partial;
    throw e;
  }
}

/**
 * `inspect --format`: "" or "json" is the indented JSON array; a template runs on each object as
 * docker's raw-JSON fallback does, with missing keys of struct-like objects an error (docker's
 * typed structs have no such field) and missing keys of maps (labels, ports) `<no value>`.
 */
export function formatInspect(format: string | undefined, objects: readonly unknown[]): string {
  if (!format || format === 'json') return `${JSON.stringify(objects, null, 4)}\n`;
  // unlike list formats, docker passes inspect's template to Go as typed (no \t, no trimming)
  const t = dockerTemplate(format);
  return objects.map((o) => `${run(t, o, { missingKey: 'error', strictMap: looksLikeStruct })}\n`).join('');
}

/**
 * A single object's `--format` (version, info, events): "json" is one JSON line, a template
 * runs on it; undefined means the caller prints its own default.
 */
export function objectFormatter(format: string | undefined): ((o: unknown) => string) | undefined {
  if (!format) return undefined;
  if (format === 'json') return (o) => `${toJson(o)}\n`;
  const t = dockerTemplate(format);
  return (o) => `${run(t, o)}\n`;
}
