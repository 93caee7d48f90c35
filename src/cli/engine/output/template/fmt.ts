// Go's fmt for template values: Sprint, Sprintln and Sprintf with Go's verbs, flags, widths,
// precisions, argument indexes and its `%!verb(type=value)` complaints.
import { kindOf, numberOf, sortedKeys, typeName } from './values.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const plain: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };

function runeLength(s: string): number {
  return [...s].length;
}

function pad(s: string, spec: Spec, numeric = false): string {
  const w = spec.width ?? 0;
  const n = runeLength(s);
  if (n >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - n);
  if (spec.zero) {
    if (numeric && /^[+\- ]/.test(s)) return s[0] + '0'.repeat(w - n) + s.slice(1);
    return '0'.repeat(w - n) + s;
  }
  return ' '.repeat(w - n) + s;
}

/** Go's strconv.Quote: named escapes, \x for other control bytes, printable runes kept. */
export function quote(s: string, asciiOnly = false): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (named[ch]) out += named[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (asciiOnly && cp > 0x7e) out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || cp === 0xfffd) out += cp === 0xfffd ? ch : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function withExponent(s: string): string {
  // JavaScript writes 1e+6; Go writes at least two exponent digits: 1e+06
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

interface Decimal {
  /** significant digits, no leading or trailing zeros ("" for zero) */
  digits: string;
  /** the value is 0.digits × 10^point */
  point: number;
}

/** The exact decimal value of a finite positive double. */
function exactDecimal(a: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let e = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  const whole = e >= 0 ? (mant << BigInt(e)).toString() : (mant * 5n ** BigInt(-e)).toString();
  const point = e >= 0 ? whole.length : whole.length + e;
  const digits = whole.replace(/^0+/, '');
  return { digits: digits.replace(/0+$/, ''), point: point - (whole.length - digits.length) };
}

/** Keeps n significant digits, rounding half to even as Go's strconv does (JavaScript rounds half up). */
function roundDecimal(d: Decimal, n: number): Decimal {
  if (d.digits.length <= n) return d;
  if (n < 0) return { digits: '', point: d.point };
  const next = d.digits[n]!;
  const rest = d.digits.slice(n + 1);
  const last = n > 0 ? Number(d.digits[n - 1]) : 0;
  const up = next > '5' || (next === '5' && (/[1-9]/.test(rest) || last % 2 === 1));
  let kept = d.digits.slice(0, n);
  let point = d.point;
  if (up) {
    const bumped = (BigInt(kept || '0') + 1n).toString();
    if (bumped.length > kept.length) point++;
    kept = bumped.length > Math.max(kept.length, 0) && kept.length > 0 ? bumped.slice(0, kept.length) : bumped;
  }
  return { digits: kept.replace(/0+$/, ''), point };
}

function fixedOf(a: number, prec: number): string {
  if (a === 0) return prec > 0 ? `0.${'0'.repeat(prec)}` : '0';
  const d = roundDecimal(exactDecimal(a), exactDecimal(a).point + prec);
  const all = d.digits.padEnd(d.point + prec, '0');
  const intPart = d.point > 0 ? all.slice(0, d.point) : '0';
  const frac = d.point >= 0 ? all.slice(d.point) : '0'.repeat(-d.point) + all;
  return prec > 0 ? `${intPart}.${frac.slice(0, prec).padEnd(prec, '0')}` : intPart;
}

function exponentOf(a: number, prec: number): string {
  const d = a === 0 ? { digits: '', point: 1 } : roundDecimal(exactDecimal(a), prec + 1);
  const digits = d.digits.padEnd(prec + 1, '0');
  const exp = a === 0 ? 0 : d.point - 1;
  const mant = prec > 0 ? `${digits[0]}.${digits.slice(1)}` : digits[0]!;
  return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** strconv.FormatFloat(f, 'e' | 'f' | 'g', prec, 64); prec -1 is the shortest exact form. */
export function formatFloat(f: number, verb: 'e' | 'f' | 'g', prec: number, sharp = false): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  let s: string;
  if (verb === 'e') s = prec < 0 ? withExponent(a.toExponential()) : exponentOf(a, prec);
  else if (verb === 'f') s = prec < 0 ? shortestFixed(a) : fixedOf(a, prec);
  else {
    // %g: %e when the exponent is < -4 or >= the precision (6 for the shortest form)
    const shortest = prec < 0;
    const p = prec === 0 ? 1 : prec;
    const digits = shortest ? withExponent(a.toExponential()) : exponentOf(a, p - 1);
    const exp = Number(digits.split('e')[1]);
    if (exp < -4 || exp >= (shortest ? 6 : p)) {
      s = sharp ? digits : digits.replace(/(\.\d*?)0+e/, '$1e').replace('.e', 'e');
    } else {
      s = shortest ? shortestFixed(a) : fixedOf(a, Math.max(0, p - 1 - exp));
      if (!shortest && !sharp && s.includes('.')) s = s.replace(/\.?0+$/, '');
    }
  }
  return (neg ? '-' : '') + s;
}

function shortestFixed(a: number): string {
  const s = String(a);
  if (!s.includes('e')) return s;
  const [m, e] = s.split('e') as [string, string];
  const exp = Number(e);
  const digits = m.replace('.', '');
  const point = (m.indexOf('.') < 0 ? m.length : m.indexOf('.')) + exp;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  return digits.length <= point ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function bad(verb: string, v: unknown): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatOne(v, 'v', plain)})`;
}

function signed(s: string, neg: boolean, spec: Spec): string {
  return (neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + s;
}

function formatInt(n: number, verb: string, spec: Spec): string | undefined {
  const neg = n < 0;
  const a = Math.abs(n);
  let s: string;
  switch (verb) {
    case 'v':
    case 'd':
      s = a.toString(10);
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'o':
      s = (spec.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      s = `0o${a.toString(8)}`;
      break;
    case 'x':
      s = (spec.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      s = (spec.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'c':
      return pad(String.fromCodePoint(n), spec);
    case 'q':
      return pad(`'${String.fromCodePoint(n)}'`, spec);
    case 'U':
      return pad(`U+${a.toString(16).toUpperCase().padStart(4, '0')}`, spec);
    default:
      return undefined;
  }
  if (spec.prec !== undefined) s = s.padStart(spec.prec, '0');
  return pad(signed(s, neg, spec), spec.prec !== undefined ? { ...spec, zero: false } : spec, true);
}

function formatFloatVerb(f: number, verb: string, spec: Spec): string | undefined {
  const prec = spec.prec;
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
      s = formatFloat(f, 'g', prec ?? -1, spec.sharp);
      break;
    case 'G':
      s = formatFloat(f, 'g', prec ?? -1, spec.sharp).toUpperCase();
      break;
    case 'e':
      s = formatFloat(f, 'e', prec ?? 6);
      break;
    case 'E':
      s = formatFloat(f, 'e', prec ?? 6).toUpperCase();
      break;
    case 'f':
    case 'F':
      s = formatFloat(f, 'f', prec ?? 6);
      break;
    default:
      return undefined;
  }
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  if (s === 'NaN' || s.endsWith('Inf')) return pad(signed(s.replace('+', ''), s === '-Inf' || neg, { ...spec, plus: spec.plus || s === '+Inf' }), { ...spec, zero: false });
  return pad(signed(s, neg, spec), spec, true);
}

function hexOf(s: string, verb: 'x' | 'X', spec: Spec): string {
  const bytes = [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
  const prefix = spec.sharp ? '0x' : '';
  const out = spec.space ? bytes.map((b) => prefix + b).join(' ') : prefix + bytes.join('');
  return verb === 'X' ? out.toUpperCase() : out;
}

function formatOne(v: unknown, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(v === null || v === undefined ? '<nil>' : typeName(v), spec);
  switch (kindOf(v)) {
    case 'invalid':
      return verb === 'v' ? pad('<invalid reflect.Value>', spec) : bad(verb, v);
    case 'nil':
      return verb === 'v' || verb === 's' ? pad('<nil>', spec) : `%!${verb}(<nil>)`;
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), spec) : bad(verb, v);
    case 'int':
      return formatInt(typeof v === 'bigint' ? Number(v) : (v as number), verb, spec) ?? bad(verb, v);
    case 'float':
      return formatFloatVerb(numberOf(v), verb, spec) ?? bad(verb, v);
    case 'string': {
      let s = v as string;
      if (verb === 'v' || verb === 's') return pad(spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s, spec);
      if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join('');
      if (verb === 'q') return pad(spec.sharp && !s.includes('`') && !/[\x00-\x08\x0a-\x1f\x7f]/.test(s) ? `\`${s}\`` : quote(s, spec.plus), spec);
      if (verb === 'x' || verb === 'X') return pad(hexOf(s, verb, spec), spec);
      return bad(verb, v);
    }
    case 'slice':
      return `[${(v as unknown[]).map((e) => formatOne(e, verb, spec)).join(' ')}]`;
    case 'map': {
      const m = v as Record<string, unknown>;
      return `map[${sortedKeys(m).map((k) => `${formatOne(k, verb, spec)}:${formatOne(m[k], verb, spec)}`).join(' ')}]`;
    }
    case 'func':
      return verb === 'v' ? pad('0x0', spec) : bad(verb, v);
  }
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && kindOf(a) !== 'string' && kindOf(args[i - 1]) !== 'string') out += ' ';
    out += formatOne(a, 'v', plain);
  });
  return out;
}

/** fmt.Sprintln: operands always separated by a space, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map((a) => formatOne(a, 'v', plain)).join(' ')}\n`;
}

export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;
  let i = 0;
  const argIndex = (): void => {
    const m = /^\[(\d+)\]/.exec(format.slice(i));
    if (!m) return;
    reordered = true;
    const n = Number(m[1]);
    if (n >= 1 && n <= args.length) argNum = n - 1;
    else goodArgNum = false;
    i += m[0].length;
  };
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { ...plain };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    goodArgNum = true;
    argIndex();
    let badWidth = false;
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      if (kindOf(w) === 'int') {
        spec.width = w as number;
        if (spec.width < 0) {
          spec.minus = true;
          spec.width = -spec.width;
        }
      } else badWidth = true;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    let badPrec = false;
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (kindOf(p) === 'int' && (p as number) >= 0) spec.prec = p as number;
        else badPrec = true;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        spec.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (badWidth) out += '%!(BADWIDTH)';
    if (badPrec) out += '%!(BADPREC)';
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else if (verb === 'w') out += bad(verb, args[argNum++]);
    else out += formatOne(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args.slice(argNum).map((a) => (a === null ? '<nil>' : `${typeName(a)}=${formatOne(a, 'v', plain)}`)).join(', ')})`;
  }
  return out;
}

