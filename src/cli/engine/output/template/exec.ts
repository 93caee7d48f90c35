// The executor of Go's text/template over JSON-shaped data: walks the parse tree as Go's
// exec.go does (variables, pipelines, range/if/with/template, break/continue), with Go's
// argument checks and its error messages and positions.
import { VesselError } from '../../../../vessel-error.js';
import { TemplateExecError } from './errors.js';
import { sprint } from './fmt.js';
import { CallError, type Param, type TemplateFunction } from './functions.js';
import type { Arg, CommandNode, ControlNode, ListNode, Node, PipeNode } from './nodes.js';
import { showNode } from './nodes.js';
import { GoFloat, isMethod, isTrue, kindOf, sortedKeys, typeName } from './values.js';

export interface ExecOptions {
  /** Go's Option("missingkey=error"): a missing map key fails instead of giving `<no value>` */
  missingKey?: 'default' | 'error';
  /** with missingKey 'error', which maps it applies to (docker: its structs, not label maps) */
  strictMap?: (m: Record<string, unknown>) => boolean;
  /** objects that stand for a Go struct: a missing field is `can't evaluate field F in type T` */
  structName?: (m: object) => string | undefined;
}

export interface Program {
  name: string;
  text: string;
  root: ListNode;
  defined: Map<string, ListNode>;
  funcs: Record<string, TemplateFunction>;
}

/** No final value was piped into a command (Go's missingVal). */
const MISSING = Symbol('missing');
type Final = unknown;

class Break {}
class Continue {}
/** An execution failure, unwound to execute() and reported there as a TemplateExecError. */
class Fail extends VesselError {
  readonly code = 'TEMPLATE_EXEC';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
  }
}

const GO_TYPE: Record<Param, string> = { any: 'interface {}', value: 'reflect.Value', string: 'string', int: 'int', float64: 'float64', bool: 'bool', '[]string': '[]string' };
const MAX_DEPTH = 1000;

export function execute(program: Program, data: unknown, options: ExecOptions = {}): string {
  const out: string[] = [];
  const state = new State(program, program.name, options, out, [{ name: '$', value: data }], 0);
  try {
    state.walk(data, program.root);
  } catch (e) {
    if (e instanceof Fail) throw new TemplateExecError(e.message, out.join(''));
    throw e;
  }
  return out.join('');
}

interface Variable {
  name: string;
  value: unknown;
}

class State {
  private node: Node | CommandNode | Arg | PipeNode | undefined;
  constructor(
    private readonly program: Program,
    private readonly tmplName: string,
    private readonly options: ExecOptions,
    private readonly out: string[],
    private vars: Variable[],
    private readonly depth: number,
  ) {}

  private at(n: Node | CommandNode | Arg | PipeNode): void {
    this.node = n;
  }

  private fail(msg: string): never {
    const n = this.node;
    let where = '';
    if (n) {
      const before = Buffer.from(this.program.text).subarray(0, n.pos).toString('utf8');
      const nl = before.lastIndexOf('\n');
      const col = nl < 0 ? Buffer.byteLength(before) : Buffer.byteLength(before.slice(nl + 1));
      const line = 1 + (before.match(/\n/g) ?? []).length;
      let context = showNode(n);
      if (context.length > 20) context = `${context.slice(0, 20)}...`;
      where = `${this.program.name}:${line}:${col}: executing "${this.tmplName}" at <${context}>: `;
    }
    throw new Fail(`template: ${where}${msg}`);
  }

  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.kind) {
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          if (typeof v === 'function') this.fail(`can't print ${showNode(node)} of type func`);
          // a nil taken out of a map is an invalid value to Go's printer, as a missing key is
          this.out.push(v === undefined || v === null ? '<no value>' : sprint([v]));
        }
        return;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'text':
        this.out.push(node.text);
        return;
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walk(node.kind === 'with' ? v : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
    }
  }

  private walkRange(dot: unknown, r: ControlNode): void {
    const outer = this.vars.length;
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.vars.length;
    const one = (index: unknown, elem: unknown): boolean => {
      const decl = r.pipe.decl.length;
      if (decl > 0) this.vars[mark - 1]!.value = elem;
      if (decl > 1) this.vars[mark - 2]!.value = index;
      try {
        this.walk(elem, r.list);
      } catch (e) {
        if (e instanceof Break) return false;
        if (!(e instanceof Continue)) throw e;
      } finally {
        this.vars.length = mark;
      }
      return true;
    };
    let ran = false;
    switch (kindOf(val)) {
      case 'slice':
        for (let i = 0; i < (val as unknown[]).length; i++) {
          ran = true;
          if (!one(i, (val as unknown[])[i])) break;
        }
        break;
      case 'map': {
        const m = val as Record<string, unknown>;
        for (const k of sortedKeys(m)) {
          ran = true;
          if (!one(k, m[k])) break;
        }
        break;
      }
      case 'int':
        if (r.pipe.decl.length > 1) this.fail(`can't use ${sprint([val])} to iterate over more than one variable`);
        for (let i = 0; i < (val as number); i++) {
          ran = true;
          if (!one(i, i)) break;
        }
        break;
      case 'invalid':
      case 'nil':
        break;
      default:
        this.fail(`range can't iterate over ${sprint([val])}`);
    }
    if (!ran && r.elseList) this.walk(dot, r.elseList);
    this.vars.length = outer;
  }

  private walkTemplate(dot: unknown, t: Extract<Node, { kind: 'template' }>): void {
    this.at(t);
    const tmpl = this.program.defined.get(t.name);
    if (!tmpl) this.fail(`template "${t.name}" not defined`);
    if (this.depth >= MAX_DEPTH) this.fail(`exceeded maximum template depth (${MAX_DEPTH})`);
    const value = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    // no dynamic scoping: the template sees only $, set to its argument
    new State(this.program, t.name, this.options, this.out, [{ name: '$', value }], this.depth + 1).walk(value, tmpl!);
  }

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  private notAFunction(args: Arg[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${showNode(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final, false);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.name, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.fail('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: Extract<Arg, { kind: 'number' }>): unknown {
    this.at(n);
    const hexInt = /^[+-]?0[xX][0-9a-fA-F_]*$/.test(n.text);
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return Number.isInteger(n.float) ? new GoFloat(n.float) : n.float;
    if (n.isInt) return n.int;
    return this.fail(`${n.text} overflows int`);
  }

  private evalChain(dot: unknown, chain: Extract<Arg, { kind: 'chain' }>, args: Arg[], final: Final): unknown {
    if (chain.node.kind === 'nil') this.fail(`indirection through explicit nil in ${showNode(chain)}`);
    const receiver = this.evalArg(dot, 'any', chain.node, true);
    return this.evalFieldChain(dot, receiver, chain, chain.fields, args, final, false);
  }

  private evalVariable(dot: unknown, v: Extract<Arg, { kind: 'variable' }>, args: Arg[], final: Final): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final, false);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Arg, ident: string[], args: Arg[], final: Final, boxed: boolean): unknown {
    let r = receiver;
    let inInterface = boxed;
    for (let i = 0; i < ident.length - 1; i++) {
      // a struct's fields have their own types; a JSON map's values are interface {}
      const fromStruct = r !== null && typeof r === 'object' && this.options.structName?.(r) !== undefined;
      r = this.evalField(dot, ident[i]!, node, [], MISSING, r, inInterface);
      inInterface = !fromStruct;
    }
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, r, inInterface);
  }

  private evalField(dot: unknown, name: string, node: Arg, args: Arg[], final: Final, receiver: unknown, boxed: boolean): unknown {
    if (receiver === undefined) {
      if (this.options.missingKey === 'error') this.fail(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    const typ = boxed ? 'interface {}' : typeName(receiver);
    if (receiver === null) this.fail(`nil pointer evaluating ${typ}.${name}`);
    if (kindOf(receiver) === 'map') {
      const m = receiver as Record<string, unknown>;
      const method = Object.hasOwn(m, name) ? m[name] : undefined;
      if (isMethod(method)) return this.evalMethod(dot, method, node, name, args, final);
      if (args.length > 1 || final !== MISSING) this.fail(`${name} is not a method but has arguments`);
      if (Object.hasOwn(m, name) && m[name] !== undefined) return m[name];
      const struct = this.options.structName?.(m);
      if (struct) this.fail(`can't evaluate field ${name} in type ${struct}`);
      if (this.options.missingKey === 'error' && (this.options.strictMap?.(m) ?? true)) this.fail(`map has no entry for key "${name}"`);
      return undefined;
    }
    return this.fail(`can't evaluate field ${name} in type ${typ}`);
  }

  private evalMethod(dot: unknown, method: (...a: unknown[]) => unknown, node: Arg, name: string, args: Arg[], final: Final): unknown {
    const params: Param[] = Array.from({ length: method.length }, () => 'any');
    return this.evalCall(dot, { params, call: (a) => method(...a) }, node, name, args, final, false);
  }

  private evalFunction(dot: unknown, name: string, ident: Arg, cmd: CommandNode | Arg, args: Arg[], final: Final): unknown {
    this.at(ident);
    const f = this.program.funcs[name];
    if (!f) this.fail(`"${name}" is not a defined function`);
    return this.evalCall(dot, f!, cmd, name, args, final, name === 'and' || name === 'or');
  }

  private evalCall(dot: unknown, f: TemplateFunction, node: CommandNode | Arg, name: string, cmdArgs: Arg[], final: Final, shortCircuit: boolean): unknown {
    const args = cmdArgs.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = f.params.length;
    if (f.variadic) {
      if (numIn < numFixed) this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== numFixed) this.fail(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    const paramAt = (i: number): Param => (i < numFixed ? f.params[i]! : f.variadic!);
    if (shortCircuit) {
      // and/or evaluate their arguments only until the answer is known
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      return final !== MISSING ? final : v;
    }
    const argv = args.map((a, i) => this.evalArg(dot, paramAt(i), a));
    if (final !== MISSING) argv.push(this.validate(final, paramAt(argv.length)));
    try {
      return f.call(argv, { structName: (m) => this.options.structName?.(m) });
    } catch (e) {
      if (!(e instanceof CallError)) throw e;
      this.at(node);
      return this.fail(`error calling ${name}: ${e.message}`);
    }
  }

  private validate(value: unknown, param: Param): unknown {
    if (value === undefined) {
      if (param === 'value') return undefined;
      if (param === 'any' || param === '[]string') return null;
      this.fail(`invalid value; expected ${GO_TYPE[param]}`);
    }
    const k = kindOf(value);
    const ok: Record<Param, boolean> = {
      any: true,
      value: true,
      string: k === 'string',
      int: k === 'int',
      float64: k === 'float',
      bool: k === 'bool',
      '[]string': value === null || (k === 'slice' && (value as unknown[]).every((e) => typeof e === 'string')),
    };
    if (!ok[param]) this.fail(`wrong type for value; expected ${GO_TYPE[param]}; got ${typeName(value)}`);
    return value;
  }

  private evalArg(dot: unknown, param: Param, n: Arg, boxed = false): unknown {
    this.at(n);
    switch (n.kind) {
      case 'dot':
        return this.validate(dot, param);
      case 'nil':
        if (param === 'any' || param === '[]string') return null;
        if (param === 'value') return undefined;
        return this.fail(`cannot assign nil to ${GO_TYPE[param]}`);
      case 'field':
        return this.validate(this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING, boxed), param);
      case 'variable':
        return this.validate(this.evalVariable(dot, n, [], MISSING), param);
      case 'pipe':
        return this.validate(this.evalPipeline(dot, n), param);
      case 'identifier':
        return this.validate(this.evalFunction(dot, n.name, n, n, [n], MISSING), param);
      case 'chain':
        return this.validate(this.evalChain(dot, n, [], MISSING), param);
    }
    switch (param) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        return this.fail(`expected bool; found ${showNode(n)}`);
      case 'string':
        if (n.kind === 'string') return n.text;
        return this.fail(`expected string; found ${showNode(n)}`);
      case 'int':
        if (n.kind === 'number' && n.isInt) return n.int;
        return this.fail(`expected integer; found ${showNode(n)}`);
      case 'float64':
        if (n.kind === 'number' && n.isFloat) return Number.isInteger(n.float) ? new GoFloat(n.float) : n.float;
        return this.fail(`expected float; found ${showNode(n)}`);
      case 'any':
      case 'value':
        if (n.kind === 'bool') return n.value;
        if (n.kind === 'number') return this.idealConstant(n);
        return n.text;
      case '[]string':
        return this.fail(`can't handle ${showNode(n)} for arg of type []string`);
    }
  }
}
