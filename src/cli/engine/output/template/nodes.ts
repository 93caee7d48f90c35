// The parse tree of a Go template; `show` prints a node as Go's String() methods do (error
// messages quote it: `executing "" at <.Foo>`).

export interface Pos {
  /** byte offset in the template text */
  pos: number;
  line: number;
}

export type Node =
  | ({ kind: 'list'; nodes: Node[] } & Pos)
  | ({ kind: 'text'; text: string } & Pos)
  | ({ kind: 'action'; pipe: PipeNode } & Pos)
  | ({ kind: 'if' | 'with' | 'range'; pipe: PipeNode; list: ListNode; elseList?: ListNode } & Pos)
  | ({ kind: 'template'; name: string; pipe?: PipeNode } & Pos)
  | ({ kind: 'break' | 'continue' } & Pos);

export type ListNode = Extract<Node, { kind: 'list' }>;
export type ControlNode = Extract<Node, { kind: 'if' | 'with' | 'range' }>;

export interface PipeNode extends Pos {
  kind: 'pipe';
  isAssign: boolean;
  decl: string[];
  cmds: CommandNode[];
}

export interface CommandNode extends Pos {
  kind: 'command';
  args: Arg[];
}

export interface NumberValue {
  isInt: boolean;
  isFloat: boolean;
  int: number;
  float: number;
}

export type Arg =
  | ({ kind: 'field'; ident: string[] } & Pos)
  | ({ kind: 'variable'; ident: string[] } & Pos)
  | ({ kind: 'chain'; node: Arg; fields: string[] } & Pos)
  | ({ kind: 'identifier'; name: string } & Pos)
  | ({ kind: 'dot' | 'nil' } & Pos)
  | ({ kind: 'bool'; value: boolean } & Pos)
  | ({ kind: 'number'; text: string } & NumberValue & Pos)
  | ({ kind: 'string'; quoted: string; text: string } & Pos)
  | PipeNode;

export function showArg(a: Arg): string {
  switch (a.kind) {
    case 'field':
      return a.ident.map((f) => `.${f}`).join('');
    case 'variable':
      return a.ident.join('.');
    case 'chain':
      return `${a.node.kind === 'pipe' ? `(${showArg(a.node)})` : showArg(a.node)}${a.fields.map((f) => `.${f}`).join('')}`;
    case 'identifier':
      return a.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.value);
    case 'number':
      return a.text;
    case 'string':
      return a.quoted;
    case 'pipe':
      return showPipe(a);
  }
}

export function showCommand(c: CommandNode): string {
  return c.args.map((a) => (a.kind === 'pipe' ? `(${showPipe(a)})` : showArg(a))).join(' ');
}

export function showPipe(p: PipeNode): string {
  const decl = p.decl.length ? `${p.decl.join(', ')} ${p.isAssign ? '=' : ':='} ` : '';
  return decl + p.cmds.map(showCommand).join(' | ');
}

export function showNode(n: Node | CommandNode | Arg): string {
  switch (n.kind) {
    case 'action':
      return `{{${showPipe(n.pipe)}}}`;
    case 'command':
      return showCommand(n);
    case 'list':
      return n.nodes.map(showNode).join('');
    case 'text':
      return n.text;
    case 'if':
    case 'with':
    case 'range':
      return `{{${n.kind} ${showPipe(n.pipe)}}}${showNode(n.list)}${n.elseList ? `{{else}}${showNode(n.elseList)}` : ''}{{end}}`;
    case 'template':
      return `{{template "${n.name}"${n.pipe ? ` ${showPipe(n.pipe)}` : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${n.kind}}}`;
    default:
      return showArg(n);
  }
}
