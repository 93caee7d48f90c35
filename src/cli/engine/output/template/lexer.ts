// The lexer of Go's text/template: splits a template into text and the tokens of its actions,
// with Go's trim markers (`{{- ` and ` -}}`), comments and error messages.
import { TemplateParseError } from './errors.js';

export type TokenType =
  | 'text' | 'leftDelim' | 'rightDelim' | 'space' | 'identifier' | 'keyword' | 'field' | 'variable'
  | 'string' | 'rawString' | 'char' | 'number' | 'bool' | 'nil' | 'dot' | 'pipe' | 'leftParen'
  | 'rightParen' | 'declare' | 'assign' | 'comma' | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  /** byte offset of the token in the template text */
  pos: number;
  line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const SPACE = /[ \t\r\n]/;
const ALNUM = /[\p{L}\p{Nd}_]/u;

/** Byte offsets, since Go reports error columns in bytes. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function lex(name: string, input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  /** the line an open action started on: Go names it when an error is found on a later line */
  let actionLine = 0;
  const fail = (msg: string): never => {
    const started = actionLine && actionLine !== line ? `${msg.endsWith(' action') ? '' : ' in action'} started at ${name}:${actionLine}` : '';
    throw new TemplateParseError(`template: ${name}:${line}: ${msg}${started}`);
  };
  const emit = (type: TokenType, start: number, end: number, value = input.slice(start, end)) => {
    tokens.push({ type, value, pos: byteLength(input.slice(0, start)), line });
    for (const ch of input.slice(start, end)) if (ch === '\n') line++;
  };
  const isTrimOpen = (at: number) => input[at] === '-' && SPACE.test(input[at + 1] ?? '');
  const trimClose = (at: number) => SPACE.test(input[at] ?? '') && input[at + 1] === '-' && input.startsWith('}}', at + 2);

  while (i < input.length) {
    const open = input.indexOf('{{', i);
    const textEnd = open < 0 ? input.length : open;
    let text = input.slice(i, textEnd);
    const trimLeft = open >= 0 && isTrimOpen(open + 2);
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) emit('text', i, i + text.length);
    for (const ch of input.slice(i + text.length, textEnd)) if (ch === '\n') line++;
    if (open < 0) break;
    i = open;
    // a comment: {{/* ... */}}, possibly with trim markers
    const after = open + 2 + (trimLeft ? 2 : 0);
    if (input.startsWith('/*', after)) {
      const end = input.indexOf('*/', after + 2);
      if (end < 0) fail('unclosed comment');
      let close = end + 2;
      let trimRight = false;
      if (trimClose(close)) {
        trimRight = true;
        close += 2;
      }
      if (!input.startsWith('}}', close)) fail('comment ends before closing delimiter');
      for (const ch of input.slice(i, close + 2)) if (ch === '\n') line++;
      i = close + 2;
      if (trimRight) i = skipSpace(input, i, (n) => (line += n));
      continue;
    }
    actionLine = line;
    emit('leftDelim', open, open + 2);
    i = after;
    let parens = 0;
    for (;;) {
      if (i >= input.length) fail('unclosed action');
      if (trimClose(i)) {
        if (parens > 0) fail('unclosed left paren');
        emit('rightDelim', i + 2, i + 4);
        i = skipSpace(input, i + 4, (n) => (line += n));
        actionLine = 0;
        break;
      }
      if (input.startsWith('}}', i)) {
        if (parens > 0) fail('unclosed left paren');
        emit('rightDelim', i, i + 2);
        i += 2;
        actionLine = 0;
        break;
      }
      const c = input[i]!;
      const start = i;
      if (SPACE.test(c)) {
        while (i < input.length && SPACE.test(input[i]!) && !trimClose(i) && !input.startsWith('}}', i)) i++;
        emit('space', start, i);
      } else if (c === '=') {
        emit('assign', i, ++i);
      } else if (c === ':') {
        if (input[i + 1] !== '=') fail('expected :=');
        emit('declare', i, (i += 2));
      } else if (c === '|') {
        emit('pipe', i, ++i);
      } else if (c === ',') {
        emit('comma', i, ++i);
      } else if (c === '"') {
        i++;
        while (input[i] !== '"') {
          if (input[i] === '\\') i++;
          if (i >= input.length || input[i] === '\n') fail('unterminated quoted string');
          i++;
        }
        emit('string', start, ++i);
      } else if (c === '`') {
        const end = input.indexOf('`', i + 1);
        if (end < 0) fail('unterminated raw quoted string');
        emit('rawString', start, (i = end + 1));
      } else if (c === "'") {
        i++;
        while (input[i] !== "'") {
          if (input[i] === '\\') i++;
          if (i >= input.length || input[i] === '\n') fail('unterminated character constant');
          i++;
        }
        emit('char', start, ++i);
      } else if (c === '$') {
        i++;
        while (i < input.length && ALNUM.test(input[i]!)) i++;
        emit('variable', start, i);
      } else if (c === '.' && !/[0-9]/.test(input[i + 1] ?? '')) {
        i++;
        if (i < input.length && ALNUM.test(input[i]!)) {
          while (i < input.length && ALNUM.test(input[i]!)) i++;
          emit('field', start, i);
        } else emit('dot', start, i);
      } else if (/[0-9+\-.]/.test(c)) {
        const m = /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)i?/.exec(input.slice(i))!;
        i += m[0].length;
        if (m[0] === '' || m[0] === '+' || m[0] === '-' || (i < input.length && ALNUM.test(input[i]!))) {
          while (i < input.length && ALNUM.test(input[i]!)) i++;
          fail(`bad number syntax: "${input.slice(start, i)}"`);
        }
        emit('number', start, i);
      } else if (ALNUM.test(c)) {
        while (i < input.length && ALNUM.test(input[i]!)) i++;
        const word = input.slice(start, i);
        emit(KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier', start, i);
      } else if (c === '(') {
        parens++;
        emit('leftParen', i, ++i);
      } else if (c === ')') {
        if (--parens < 0) fail('unexpected right paren');
        emit('rightParen', i, ++i);
      } else {
        const cp = input.codePointAt(i)!;
        fail(`unrecognized character in action: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(cp)}'`);
      }
    }
  }
  emit('eof', input.length, input.length);
  return tokens;
}

function skipSpace(input: string, i: number, lines: (n: number) => void): number {
  let j = i;
  while (j < input.length && SPACE.test(input[j]!)) j++;
  lines((input.slice(i, j).match(/\n/g) ?? []).length);
  return j;
}
