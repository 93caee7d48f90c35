// The parser of Go's text/template: tokens -> a tree per template name, checking what Go checks
// at parse time (functions exist, variables are declared, break/continue sit inside range).
import { TemplateParseError } from './errors.js';
import { lex, type Token, type TokenType } from './lexer.js';
import type { Arg, CommandNode, ListNode, Node, NumberValue, PipeNode } from './nodes.js';
import { showNode } from './nodes.js';

export interface Parsed {
  root: ListNode;
  /** `{{define}}` and `{{block}}` templates by name */
  defined: Map<string, ListNode>;
}

type Stop = { kind: 'end' | 'else'; pos: number; line: number; elseIf?: 'if' | 'with' };

export function parseTemplate(name: string, text: string, isFunction: (name: string) => boolean): Parsed {
  return new Parser(name, lex(name, text), isFunction).parse();
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  readonly defined = new Map<string, ListNode>();

  constructor(
    private readonly name: string,
    private readonly tokens: Token[],
    private readonly isFunction: (name: string) => boolean,
  ) {}

  private fail(msg: string, at: Token = this.tokens[Math.max(0, this.i - 1)]!): never {
    throw new TemplateParseError(`template: ${this.name}:${at.line}: ${msg}`);
  }
  private next(): Token {
    return this.tokens[Math.min(this.i++, this.tokens.length - 1)]!;
  }
  private peek(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)]!;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const save = this.i;
    const t = this.nextNonSpace();
    this.i = save;
    return t;
  }
  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === 'eof') this.fail(`unexpected EOF in ${context}`, t);
    // as Go's item.String(): keywords in angle brackets, other tokens quoted
    const shown = t.type === 'keyword' ? `<${t.value}>` : t.value.length > 10 ? `${JSON.stringify(t.value.slice(0, 10))}...` : JSON.stringify(t.value);
    return this.fail(`unexpected ${shown} in ${context}`, t);
  }

  parse(): Parsed {
    const root: ListNode = { kind: 'list', nodes: [], pos: 0, line: 1 };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        const kw = this.nextNonSpace();
        if (kw.type === 'keyword' && kw.value === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if ('kind' in n && (n.kind === 'end' || n.kind === 'else')) this.fail(`unexpected {{${n.kind}}}`);
      root.nodes.push(n as Node);
    }
    return { root, defined: this.defined };
  }

  private parseDefinition(): void {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'define clause');
    this.expect('rightDelim', 'define clause');
    const saveVars = this.vars;
    this.vars = ['$'];
    const [list, stop] = this.itemList();
    if (stop.kind !== 'end') this.fail(`unexpected {{${stop.kind}}} in define clause`);
    this.vars = saveVars;
    this.define(unquote(nameTok.value, (m) => this.fail(m)), list);
  }

  private define(name: string, list: ListNode): void {
    const existing = this.defined.get(name);
    // Go allows redefining a template only when one of the two is empty
    if (existing && existing.nodes.some((n) => n.kind !== 'text' || n.text.trim()) && list.nodes.some((n) => n.kind !== 'text' || n.text.trim())) {
      this.fail(`template: multiple definition of template "${name}"`);
    }
    if (!existing || list.nodes.length) this.defined.set(name, list);
  }

  private itemList(): [ListNode, Stop] {
    const first = this.peekNonSpace();
    const list: ListNode = { kind: 'list', nodes: [], pos: first.pos, line: first.line };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n as Stop];
      list.nodes.push(n as Node);
    }
    return this.fail('unexpected EOF', this.peek());
  }

  private textOrAction(): Node | Stop {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { kind: 'text', text: t.value, pos: t.pos, line: t.line };
    if (t.type === 'leftDelim') return this.action();
    return this.unexpected(t, 'input');
  }

  private action(): Node | Stop {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.value) {
        case 'block':
          return this.blockControl(t);
        case 'break':
        case 'continue': {
          if (this.rangeDepth === 0) this.fail(`{{${t.value}}} outside {{range}}`, t);
          this.expect('rightDelim', `{{${t.value}}}`);
          return { kind: t.value, pos: t.pos, line: t.line };
        }
        case 'else': {
          const p = this.peekNonSpace();
          if (p.type === 'keyword' && (p.value === 'if' || p.value === 'with')) {
            return { kind: 'else', pos: p.pos, line: p.line, elseIf: p.value };
          }
          this.expect('rightDelim', 'else');
          return { kind: 'else', pos: t.pos, line: t.line };
        }
        case 'end':
          this.expect('rightDelim', 'end');
          return { kind: 'end', pos: t.pos, line: t.line };
        case 'if':
        case 'range':
        case 'with':
          return this.control(t.value);
        case 'template':
          return this.templateControl(t);
        default:
          return this.fail(`unexpected <${t.value}> in command`, t);
      }
    }
    this.i--;
    const pipe = this.pipeline('command', 'rightDelim');
    return { kind: 'action', pipe, pos: t.pos, line: t.line };
  }

  private control(kind: 'if' | 'range' | 'with'): Node {
    const depth = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    let [list, stop] = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (stop.kind === 'else') {
      if (stop.elseIf && (kind === 'if' || kind === 'with') && stop.elseIf === kind) {
        // "{{else if x}}" is "{{else}}{{if x}}...{{end}}{{end}}" with one {{end}}
        this.nextNonSpace();
        const inner = this.control(stop.elseIf);
        elseList = { kind: 'list', nodes: [inner], pos: stop.pos, line: stop.line };
      } else {
        if (stop.elseIf) this.fail(`unexpected <${stop.elseIf}> in else`);
        [elseList, stop] = this.itemList();
        if (stop.kind !== 'end') this.fail(`expected end; found {{${stop.kind}}}`);
      }
    }
    this.vars.length = depth;
    return { kind, pipe, list, ...(elseList ? { elseList } : {}), pos: pipe.pos, line: pipe.line };
  }

  private templateName(context: string): string {
    const t = this.nextNonSpace();
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return unquote(t.value, (m) => this.fail(m));
  }

  private templateControl(start: Token): Node {
    const name = this.templateName('template clause');
    let pipe: PipeNode | undefined;
    if (this.peekNonSpace().type !== 'rightDelim') pipe = this.pipeline('template clause', 'rightDelim');
    else this.nextNonSpace();
    return { kind: 'template', name, ...(pipe ? { pipe } : {}), pos: start.pos, line: start.line };
  }

  private blockControl(start: Token): Node {
    const name = this.templateName('block clause');
    const pipe = this.pipeline('block clause', 'rightDelim');
    const saveVars = this.vars;
    this.vars = ['$'];
    const [list, stop] = this.itemList();
    if (stop.kind !== 'end') this.fail(`unexpected {{${stop.kind}}} in block clause`);
    this.vars = saveVars;
    this.define(name, list);
    return { kind: 'template', name, pipe, pos: start.pos, line: start.line };
  }

  private pipeline(context: string, end: TokenType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', isAssign: false, decl: [], cmds: [], pos: first.pos, line: first.line };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.i;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        this.nextNonSpace();
        pipe.isAssign = after.type === 'assign';
        pipe.decl.push(v.value);
        if (pipe.isAssign) this.useVar(v);
        else this.vars.push(v.value);
        break;
      }
      if (after.type === 'comma') {
        this.nextNonSpace();
        pipe.decl.push(v.value);
        this.vars.push(v.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const n = this.peekNonSpace();
          if (n.type === 'variable') continue;
          if (n.type === 'rightDelim' || n.type === 'rightParen') break;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(t.type)) {
        this.i--;
        pipe.cmds.push(this.command());
      } else this.unexpected(t, context);
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]!.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.fail(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const start = this.peekNonSpace();
    const cmd: CommandNode = { kind: 'command', args: [], pos: start.pos, line: start.line };
    for (;;) {
      this.peekNonSpace();
      while (this.peek().type === 'space') this.next();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.i--;
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): Arg | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    // Go places a chain at its first chained field: `.A.B` is at `.B`
    const at = { pos: this.peek().pos, line: this.peek().line };
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().value.slice(1));
    switch (node.kind) {
      case 'field':
        return { ...node, ...at, ident: [...node.ident, ...fields] };
      case 'variable':
        return { ...node, ...at, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.fail(`unexpected . after term "${showNode(node)}"`);
      default:
        return { kind: 'chain', node, fields, pos: node.pos, line: node.line };
    }
  }

  private useVar(t: Token): void {
    const name = t.value;
    if (!this.vars.includes(name)) this.fail(`undefined variable "${name}"`, t);
  }

  private term(): Arg | undefined {
    const t = this.nextNonSpace();
    const at = { pos: t.pos, line: t.line };
    switch (t.type) {
      case 'identifier':
        if (!this.isFunction(t.value)) this.fail(`function "${t.value}" not defined`, t);
        return { kind: 'identifier', name: t.value, ...at };
      case 'dot':
        return { kind: 'dot', ...at };
      case 'nil':
        return { kind: 'nil', ...at };
      case 'variable':
        this.useVar(t);
        return { kind: 'variable', ident: [t.value], ...at };
      case 'field':
        return { kind: 'field', ident: [t.value.slice(1)], ...at };
      case 'bool':
        return { kind: 'bool', value: t.value === 'true', ...at };
      case 'char':
      case 'number':
        return { kind: 'number', text: t.value, ...parseNumber(t, (m) => this.fail(m, t)), ...at };
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { kind: 'string', quoted: t.value, text: unquote(t.value, (m) => this.fail(m, t)), ...at };
      default:
        this.i--;
        return undefined;
    }
  }
}

function parseNumber(t: Token, fail: (m: string) => never): NumberValue {
  const text = t.value;
  if (t.type === 'char') {
    const s = unquote(`"${text.slice(1, -1).replace(/"/g, '\\"')}"`, fail);
    const cp = s.codePointAt(0);
    if (cp === undefined || [...s].length !== 1) fail(`malformed character constant: ${text}`);
    return { isInt: true, isFloat: true, int: cp!, float: cp! };
  }
  if (text.endsWith('i')) {
    if (!/^[+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?i$/.test(text)) fail(`bad number syntax: "${text}"`);
    fail(`complex numbers are not supported: "${text}"`);
  }
  const clean = text.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  let int: number | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) int = parseInt(body.slice(2), 16);
  else if (/^0[bB][01]+$/.test(body)) int = parseInt(body.slice(2), 2);
  else if (/^0[oO]?[0-7]+$/.test(body)) int = parseInt(body.replace(/^0[oO]?/, ''), 8);
  else if (/^[0-9]+$/.test(body)) int = parseInt(body, 10);
  if (int !== undefined) return { isInt: true, isFloat: true, int: sign * int, float: sign * int };
  let f: number;
  if (/^0[xX]/.test(body)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
    if (!m) fail(`illegal number syntax: "${text}"`);
    const frac = m![2] ?? '';
    f = parseInt(`${m![1] || '0'}${frac}`, 16) * 2 ** (Number(m![3]) - 4 * frac.length);
  } else {
    if (!/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(body)) fail(`illegal number syntax: "${text}"`);
    f = Number(body);
  }
  f *= sign;
  const isInt = Number.isInteger(f) && Math.abs(f) <= Number.MAX_SAFE_INTEGER;
  return { isInt, isFloat: true, int: isInt ? f : 0, float: f };
}

/** Go's strconv.Unquote for "..." and `...` literals. */
export function unquote(quoted: string, fail: (m: string) => never): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1).replace(/\r/g, '');
  const body = quoted.slice(1, -1);
  let out = '';
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
  const bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) fail(`invalid syntax: ${quoted}`);
    if (e! in simple) {
      flush();
      out += simple[e!];
    } else if (e === 'x') {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/[0-7]/.test(e!)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) fail(`invalid syntax: ${quoted}`);
      flush();
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else fail(`invalid syntax: ${quoted}`);
  }
  flush();
  return out;
}
