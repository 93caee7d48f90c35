// Go's text/template for JSON-shaped data: parse once, execute on many values.
import { execute, type ExecOptions } from './exec.js';
import { BUILTINS, type TemplateFunction } from './functions.js';
import { parseTemplate } from './parser.js';

export { TemplateExecError, TemplateParseError } from './errors.js';
export { DOCKER_FUNCTIONS, HEADER_FUNCTIONS, CallError, type TemplateFunction } from './functions.js';
export { looksLikeStruct, toJson } from './json.js';
export { GoFloat, goMethod } from './values.js';
export type { ExecOptions } from './exec.js';

export interface GoTemplate {
  /** runs the template on `data`; throws TemplateExecError with Go's message */
  execute(data: unknown, options?: ExecOptions): string;
  /** the same parsed template with some functions replaced (docker's header functions) */
  withFunctions(funcs: Record<string, TemplateFunction>): GoTemplate;
}

export interface ParseOptions {
  /** the template's name in error messages (docker's is "") */
  name?: string;
  /** functions beyond Go's builtins */
  funcs?: Record<string, TemplateFunction>;
}

/** Parses a template; throws TemplateParseError with Go's message (`template: :1: ...`). */
export function parseGoTemplate(text: string, options: ParseOptions = {}): GoTemplate {
  const name = options.name ?? '';
  const funcs = { ...BUILTINS, ...options.funcs };
  const parsed = parseTemplate(name, text, (f) => Object.hasOwn(funcs, f));
  const make = (fs: Record<string, TemplateFunction>): GoTemplate => {
    const program = { name, text, root: parsed.root, defined: parsed.defined, funcs: fs };
    return {
      execute: (data, exec) => execute(program, data, exec),
      withFunctions: (more) => make({ ...fs, ...more }),
    };
  };
  return make(funcs);
}
