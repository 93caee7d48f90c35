// Variable substitution as docker's shell lexer does it for ENV, ARG, COPY, WORKDIR…: `$v`,
// `${v}`, `${v:-default}`, `${v-default}`, `${v:+alt}`, `${v+alt}`; single quotes are literal, double
// quotes group but still expand, and the escape character protects the next character. Words are
// split on unquoted whitespace before expansion, so a value never splits.
import { BuildError } from '../errors.js';

/** Looks a variable up; every name asked for is what the instruction depends on. */
export type Lookup = (name: string) => string | undefined;

class Lexer {
  pos = 0;
  constructor(
    readonly text: string,
    readonly lookup: Lookup,
    readonly escape: string,
  ) {}

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  name(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  /** After a `$`. */
  variable(): string {
    if (this.peek() === '{') {
      this.pos++;
      const name = this.name();
      if (!name) throw new BuildError('PARSE', `missing ':' in substitution: ${this.text}`, this.text);
      if (this.peek() === '}') {
        this.pos++;
        return this.lookup(name) ?? '';
      }
      let op = this.text[this.pos++] ?? '';
      if (op === ':') op += this.text[this.pos++] ?? '';
      if (![':-', ':+', '-', '+'].includes(op)) throw new BuildError('PARSE', `unsupported modifier (${op}) in substitution: ${this.text}`, this.text);
      const word = this.until('}');
      const value = this.lookup(name);
      const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
      if (op.endsWith('-')) return set ? value! : word;
      return set ? word : '';
    }
    const name = this.name();
    if (!name) return '$';
    return this.lookup(name) ?? '';
  }

  /** A nested word up to `end` (for ${v:-word}), expanded. */
  until(end: string): string {
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === end) {
        this.pos++;
        return out;
      }
      out += this.unit(true);
    }
    throw new BuildError('PARSE', `missing '${end}' in substitution: ${this.text}`, this.text);
  }

  /** One character or quoted section or variable; `nested` inside ${…}. */
  unit(nested = false): string {
    const c = this.text[this.pos]!;
    if (c === this.escape) {
      this.pos++;
      if (this.pos >= this.text.length) return nested ? '' : c;
      return this.text[this.pos++]!;
    }
    if (c === '$') {
      this.pos++;
      return this.variable();
    }
    if (c === "'") {
      const close = this.text.indexOf("'", this.pos + 1);
      if (close < 0) throw new BuildError('PARSE', `unexpected end of statement while looking for matching single-quote: ${this.text}`, this.text);
      const s = this.text.slice(this.pos + 1, close);
      this.pos = close + 1;
      return s;
    }
    if (c === '"') {
      this.pos++;
      let out = '';
      for (;;) {
        if (this.pos >= this.text.length) throw new BuildError('PARSE', `unexpected end of statement while looking for matching double-quote: ${this.text}`, this.text);
        const d = this.text[this.pos]!;
        if (d === '"') {
          this.pos++;
          return out;
        }
        if (d === this.escape && ['"', '$', this.escape].includes(this.text[this.pos + 1] ?? '')) {
          out += this.text[this.pos + 1];
          this.pos += 2;
        } else if (d === '$') {
          this.pos++;
          out += this.variable();
        } else {
          out += d;
          this.pos++;
        }
      }
    }
    this.pos++;
    return c;
  }
}

/** The whole text as one word, expanded, quotes removed. */
export function expandWord(text: string, lookup: Lookup, escape = '\\'): string {
  const lx = new Lexer(text, lookup, escape);
  let out = '';
  while (lx.pos < text.length) out += lx.unit();
  return out;
}

/** Words split on unquoted whitespace, each expanded. */
export function expandWords(text: string, lookup: Lookup, escape = '\\'): string[] {
  const lx = new Lexer(text, lookup, escape);
  const words: string[] = [];
  let word: string | undefined;
  while (lx.pos < text.length) {
    if (/\s/.test(lx.peek())) {
      if (word !== undefined) words.push(word);
      word = undefined;
      lx.pos++;
      continue;
    }
    word = (word ?? '') + lx.unit();
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `KEY=VALUE` pairs (ENV, LABEL), or docker's legacy `ENV KEY value with spaces`. */
export function keyValues(keyword: string, text: string, lookup: Lookup, escape: string, where: string): [string, string][] {
  const raw = rawWords(text, escape);
  if (raw.length && !raw[0]!.includes('=')) {
    if (keyword === 'ENV') {
      const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(text);
      if (!m) throw new BuildError('PARSE', `${where}: ENV names can not be blank`, where);
      return [[m[1]!, expandWord(m[2]!.trim(), lookup, escape)]];
    }
  }
  return raw.map((w) => {
    const eq = w.indexOf('=');
    if (eq === 0) throw new BuildError('PARSE', `${where}: ${keyword} names can not be blank`, where);
    if (eq < 0) throw new BuildError('PARSE', `${where}: ${keyword} must have two arguments`, where);
    return [expandWord(w.slice(0, eq), lookup, escape), expandWord(w.slice(eq + 1), lookup, escape)] as [string, string];
  });
}

/** Words split on unquoted whitespace, quotes and escapes kept (for a later expandWord). */
export function rawWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === escape && quote !== "'" && i + 1 < text.length) {
      word += c + text[++i];
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      word += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += c;
  }
  if (word) words.push(word);
  return words;
}
