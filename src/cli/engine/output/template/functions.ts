// The functions a template can call: Go's builtins and docker's additions (cli/templates), each
// with its Go parameter types, since Go checks argument types before the call.
import { VesselError } from '../../../../vessel-error.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { toJson } from './json.js';
import { isTrue, kindOf, numberOf, typeName } from './values.js';

/** A Go parameter type: `value` is reflect.Value (anything, even a missing value). */
export type Param = 'any' | 'value' | 'string' | 'int' | 'float64' | 'bool' | '[]string';

export interface CallContext {
  /** the Go struct type an object of the data stands for, if it stands for one */
  structName(m: object): string | undefined;
}

export interface TemplateFunction {
  params: Param[];
  /** the type of `...` parameters after the fixed ones */
  variadic?: Param;
  call(args: unknown[], context: CallContext): unknown;
}

/** An error a function returns: the template reports `error calling NAME: message`. */
export class CallError extends VesselError {
  readonly code = 'TEMPLATE_CALL';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
  }
}

const fn = (params: Param[], call: (args: unknown[], context: CallContext) => unknown, variadic?: Param): TemplateFunction => ({ params, call, ...(variadic ? { variadic } : {}) });

/** reflect.Value(x).Interface() seen through an interface: a missing value or nil stays missing. */
function concrete(v: unknown): unknown {
  return v === null ? undefined : v;
}

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(concrete(index));
  if (k === 'invalid') throw new CallError('cannot index slice/array with nil');
  if (k !== 'int') throw new CallError(`cannot index slice/array with type ${typeName(index)}`);
  const x = index as number;
  if (x < 0 || x > cap) throw new CallError(`index out of range: ${x}`);
  return x;
}

function index(args: unknown[], context: CallContext): unknown {
  let item = concrete(args[0]);
  if (item === undefined) throw new CallError('index of untyped nil');
  for (const i of args.slice(1)) {
    if (item === null) throw new CallError('index of nil pointer');
    switch (kindOf(item)) {
      case 'slice':
      case 'string': {
        const seq = typeof item === 'string' ? Buffer.from(item) : (item as unknown[]);
        const x = indexArg(i, seq.length);
        if (x >= seq.length) throw new CallError(`index out of range: ${x}`);
        item = seq[x];
        break;
      }
      case 'map': {
        const struct = context.structName(item as object);
        if (struct) throw new CallError(`can't index item of type ${struct.replace(/^\*/, '')}`);
        const key = concrete(i) === undefined ? '' : i;
        if (typeof key !== 'string') throw new CallError(`value has type ${typeName(key)}; should be string`);
        const m = item as Record<string, unknown>;
        item = Object.hasOwn(m, key) ? m[key] : null;
        break;
      }
      default:
        throw new CallError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(args: unknown[]): unknown {
  const item = concrete(args[0]);
  if (item === undefined) throw new CallError('slice of untyped nil');
  const idx = args.slice(1);
  if (idx.length > 3) throw new CallError(`too many slice indexes: ${idx.length}`);
  const k = kindOf(item);
  if (k === 'string' && idx.length === 3) throw new CallError('cannot 3-index slice a string');
  if (k !== 'string' && k !== 'slice') throw new CallError(`can't slice item of type ${typeName(item)}`);
  const seq = k === 'string' ? Buffer.from(item as string) : (item as unknown[]);
  const at = [0, seq.length, seq.length];
  idx.forEach((x, i) => (at[i] = indexArg(x, seq.length)));
  if (at[0]! > at[1]!) throw new CallError(`invalid slice index: ${at[0]} > ${at[1]}`);
  if (idx.length === 3 && at[1]! > at[2]!) throw new CallError(`invalid slice index: ${at[1]} > ${at[2]}`);
  const part = seq.slice(at[0], at[1]);
  return Buffer.isBuffer(part) ? part.toString('utf8') : part;
}

function length(args: unknown[]): number {
  const item = args[0];
  if (item === undefined) throw new CallError('reflect: call of reflect.Value.Type on zero Value');
  if (item === null) throw new CallError('len of nil pointer');
  switch (kindOf(item)) {
    case 'string':
      return Buffer.byteLength(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return Object.keys(item as object).length;
    default:
      throw new CallError(`len of type ${typeName(item)}`);
  }
}

type Basic = 'bool' | 'int' | 'float' | 'string' | 'other';

function basic(v: unknown): Basic {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : 'other';
}

function eq(args: unknown[]): boolean {
  const a = concrete(args[0]);
  if (args.length < 2) throw new CallError('missing argument for comparison');
  for (const raw of args.slice(1)) {
    const b = concrete(raw);
    const ka = basic(a);
    const kb = basic(b);
    if (ka !== kb) {
      if (a !== undefined && b !== undefined) throw new CallError('incompatible types for comparison');
      continue;
    }
    if (ka === 'other') {
      if (a === undefined && b === undefined) return true;
      if (a === undefined || b === undefined) continue;
      throw new CallError(`non-comparable type ${sprint([b])}: ${typeName(b)}`);
    }
    if (ka === 'int' || ka === 'float' ? numberOf(a) === numberOf(b) : a === b) return true;
  }
  return false;
}

function less(args: unknown[]): boolean {
  const [a, b] = args.map(concrete);
  const ka = basic(a);
  const kb = basic(b);
  if (ka === 'other' || kb === 'other') throw new CallError('invalid type for comparison');
  if (ka !== kb) throw new CallError('incompatible types for comparison');
  if (ka === 'bool') throw new CallError('invalid type for comparison');
  return ka === 'string' ? Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0 : numberOf(a) < numberOf(b);
}

/** Go's evalArgs for html/js/urlquery: one string as is, anything else through Sprint. */
function textOf(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

function htmlEscape(s: string): string {
  const table: Record<string, string> = { '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' };
  return s.replace(/[\0"'&<>]/g, (c) => table[c]!);
}

function jsEscape(s: string): string {
  const table: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (table[ch]) out += table[ch];
    else if (cp < 0x20) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function queryEscape(s: string): string {
  return [...Buffer.from(s)].map((b) => {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
    return c === ' ' ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

function callFunction(args: unknown[]): unknown {
  const f = concrete(args[0]);
  if (f === undefined) throw new CallError('call of nil');
  if (typeof f !== 'function') throw new CallError(`non-function of type ${typeName(f)}`);
  const rest = args.slice(1);
  if (rest.length !== f.length) throw new CallError(`wrong number of args: got ${rest.length} want ${f.length}`);
  return (f as (...a: unknown[]) => unknown)(...rest);
}

export const BUILTINS: Record<string, TemplateFunction> = {
  and: fn(['value'], () => undefined, 'value'),
  or: fn(['value'], () => undefined, 'value'),
  not: fn(['value'], ([a]) => !isTrue(a)),
  call: fn(['value'], callFunction, 'value'),
  html: fn([], (a) => htmlEscape(textOf(a)), 'any'),
  js: fn([], (a) => jsEscape(textOf(a)), 'any'),
  urlquery: fn([], (a) => queryEscape(textOf(a)), 'any'),
  index: fn(['value'], index, 'value'),
  slice: fn(['value'], slice, 'value'),
  len: fn(['value'], length),
  print: fn([], (a) => sprint(a), 'any'),
  printf: fn(['string'], ([f, ...a]) => sprintf(f as string, a), 'any'),
  println: fn([], (a) => sprintln(a), 'any'),
  eq: fn(['value'], eq, 'value'),
  ne: fn(['value', 'value'], (a) => !eq(a)),
  lt: fn(['value', 'value'], less),
  le: fn(['value', 'value'], (a) => less(a) || eq(a)),
  gt: fn(['value', 'value'], (a) => !less(a) && !eq(a)),
  ge: fn(['value', 'value'], (a) => !less(a)),
};

/** Go's strings.Title: the first letter of each word in upper case. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const separator = /[\p{L}\p{N}_]/u.test(prev) ? false : prev.codePointAt(0)! < 0x80 || /\s/u.test(prev);
    out += separator ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function split(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

/** docker's cli/templates basicFunctions. */
export const DOCKER_FUNCTIONS: Record<string, TemplateFunction> = {
  json: fn(['any'], ([v]) => toJson(v)),
  split: fn(['string', 'string'], ([s, sep]) => split(s as string, sep as string)),
  join: fn(['[]string', 'string'], ([l, sep]) => ((l as string[] | null) ?? []).join(sep as string)),
  title: fn(['string'], ([s]) => title(s as string)),
  lower: fn(['string'], ([s]) => (s as string).toLowerCase()),
  upper: fn(['string'], ([s]) => (s as string).toUpperCase()),
  pad: fn(['string', 'int', 'int'], ([s, pre, post]) => (s === '' ? '' : ' '.repeat(Math.max(0, pre as number)) + (s as string) + ' '.repeat(Math.max(0, post as number)))),
  truncate: fn(['string', 'int'], ([s, n]) => {
    const b = Buffer.from(s as string);
    return b.length < (n as number) ? s : b.subarray(0, n as number).toString('utf8');
  }),
};

/** docker's HeaderFunctions: for a table's header line each docker function returns its input. */
export const HEADER_FUNCTIONS: Record<string, TemplateFunction> = {
  json: fn(['string'], ([v]) => v),
  split: fn(['string', 'string'], ([v]) => v),
  join: fn(['string', 'string'], ([v]) => v),
  title: fn(['string'], ([v]) => v),
  lower: fn(['string'], ([v]) => v),
  upper: fn(['string'], ([v]) => v),
  pad: fn(['string', 'int', 'int'], ([v]) => v),
  truncate: fn(['string', 'int'], ([v]) => v),
};

