// A small subset of Go templates for `--format`: `{{.Field}}`, `{{.A.B}}`, `{{json .}}`,
// `{{json .Field}}`, `{{upper .X}}`, `{{lower .X}}`, `{{join .List ", "}}`, `{{index .Map "key"}}`,
// `{{truncate .X 12}}`, and docker's `table` prefix for a headed, aligned table.
import { UsageError } from '../command.js';
import { renderTable } from './table.js';

type Value = unknown;

function lookup(data: Value, path: string): Value {
  if (path === '.') return data;
  let v: Value = data;
  for (const key of path.slice(1).split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, Value>)[key];
  }
  return v;
}

function show(v: Value): string {
  if (v === undefined || v === null) return '<no value>';
  if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.entries(v as object).map(([k, x]) => `${k}:${show(x)}`).join(' ')}]`;
  return String(v);
}

const functions: Record<string, (...args: Value[]) => Value> = {
  json: (v) => JSON.stringify(v ?? null),
  upper: (v) => show(v).toUpperCase(),
  lower: (v) => show(v).toLowerCase(),
  join: (list, sep) => (Array.isArray(list) ? list.map(show).join(String(sep)) : show(list)),
  index: (m, k) => (m && typeof m === 'object' ? (m as Record<string, Value>)[String(k)] : undefined),
  truncate: (v, n) => show(v).slice(0, Number(n)),
  println: (...a) => a.map(show).join(' ') + '\n',
};

function tokenize(action: string): string[] {
  return action.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

function evalArg(token: string, data: Value): Value {
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (token.startsWith('.')) return lookup(data, token);
  if (/^-?\d+$/.test(token)) return Number(token);
  throw new UsageError(`template: unexpected "${token}"`);
}

function evalAction(action: string, data: Value): string {
  const tokens = tokenize(action.trim());
  if (tokens.length === 0) throw new UsageError('template: empty action');
  const [head, ...rest] = tokens as [string, ...string[]];
  const fn = functions[head];
  if (fn) return show(fn(...rest.map((t) => evalArg(t, data))));
  if (rest.length > 0) throw new UsageError(`template: function "${head}" not defined`);
  return show(evalArg(head, data));
}

export interface Template {
  table: boolean;
  headers: string[];
  render(data: Value): string;
}

export function compileTemplate(source: string): Template {
  const table = source.startsWith('table ') || source === 'table';
  const text = (table ? source.slice(5).trimStart() : source).replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const parts: ({ text: string } | { action: string })[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push({ text: rest });
      break;
    }
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new UsageError(`template: unclosed action in "${source}"`);
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    parts.push({ action: rest.slice(open + 2, close).replace(/^-\s*|\s*-$/g, '') });
    rest = rest.slice(close + 2);
  }
  const headers = parts
    .filter((p): p is { action: string } => 'action' in p)
    .map((p) => {
      const field = tokenize(p.action).find((t) => t.startsWith('.')) ?? p.action;
      return field.slice(1);
    });
  return {
    table,
    headers,
    render: (data) => parts.map((p) => ('text' in p ? p.text : evalAction(p.action, data))).join(''),
  };
}

/**
 * Prints `items` for a `--format` value: undefined/"table" uses the command's default table,
 * "json" prints one JSON object per line, anything else is a template.
 */
export function formatItems<T>(
  format: string | undefined,
  items: readonly T[],
  defaultTable: (items: readonly T[]) => string,
  headerNames: Record<string, string> = {},
): string {
  if (format === undefined || format === '' || format === 'table') return defaultTable(items);
  if (format === 'json') return items.map((i) => JSON.stringify(i) + '\n').join('');
  const t = compileTemplate(format);
  if (t.table) {
    const headers = t.headers.map((h) => headerNames[h] ?? (h.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase() || 'VALUE'));
    return renderTable(headers, items.map((i) => t.render(i).split('\t')));
  }
  return items.map((i) => t.render(i) + '\n').join('');
}
