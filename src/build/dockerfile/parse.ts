// Dockerfile text -> instructions, as docker's parser reads it: parser directives at the top
// (`# syntax=`, `# escape=`), comments, line continuations with the escape character, heredocs
// (`<<EOF`, `<<-EOF`, quoted names turn expansion off) for RUN/COPY/ADD, flags before the
// arguments, and the JSON (exec) form. Variable substitution happens later, per instruction, with
// the values known at that point of the build.
import { BuildError } from '../errors.js';

export interface Heredoc {
  name: string;
  content: string;
  /** an unquoted name: the body's variables are expanded */
  expand: boolean;
}

export interface Instruction {
  /** upper-case keyword: RUN, COPY, … */
  keyword: string;
  /** 1-based line of the keyword */
  line: number;
  /** `--name=value` flags before the arguments; a flag may repeat (`--mount`) */
  flags: { name: string; value: string | undefined }[];
  /** the arguments after the flags, continuations joined */
  rest: string;
  /** exec form: the JSON array of the arguments */
  json?: string[];
  heredocs: Heredoc[];
  /** the instruction as written (one logical line, flags included), for history and the cache */
  original: string;
}

export interface Dockerfile {
  file: string;
  directives: Record<string, string>;
  escape: string;
  instructions: Instruction[];
}

/** Flags each instruction accepts (docker's and BuildKit's). */
const FLAGS: Record<string, readonly string[]> = {
  FROM: ['platform'],
  RUN: ['mount', 'network', 'security'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

export const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

export function parseError(file: string, line: number, message: string, code: 'PARSE' | 'UNKNOWN_INSTRUCTION' = 'PARSE'): BuildError {
  return new BuildError(code, `${file}:${line}: ${message}`, `${file}:${line}`);
}

/** Directives: `# key=value` lines before anything else; an unknown key or a repeat ends them. */
function readDirectives(lines: string[], file: string): { directives: Record<string, string>; first: number } {
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (!['syntax', 'escape', 'check'].includes(key)) break;
    if (key in directives) throw parseError(file, i + 1, `only one ${key} parser directive can be used`);
    directives[key] = m[2]!;
  }
  const escape = directives.escape ?? '\\';
  if (escape !== '\\' && escape !== '`') throw parseError(file, 1, `invalid escape token '${escape}' does not match ` + '` or \\');
  return { directives, first: i };
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/** `--name=value` words at the start of `text`, and what follows them. */
function splitFlags(keyword: string, text: string, file: string, line: number): { flags: Instruction['flags']; rest: string } {
  const flags: Instruction['flags'] = [];
  let rest = text.trimStart();
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|'[^']*'|\S*))?(?:\s+|$)/.exec(rest);
    if (!m) break;
    const name = m[1]!;
    if (!(FLAGS[keyword] ?? []).includes(name)) throw parseError(file, line, `unknown flag: --${name}`);
    const raw = m[2];
    flags.push({ name, value: raw === undefined ? undefined : raw.replace(/^(["'])(.*)\1$/, '$2') });
    rest = rest.slice(m[0].length);
  }
  return { flags, rest: rest.trim() };
}

function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(rest) as unknown;
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { directives, first } = readDirectives(lines, file);
  const escape = directives.escape ?? '\\';
  const instructions: Instruction[] = [];
  let i = first;
  while (i < lines.length) {
    const raw = lines[i]!;
    if (raw.trim() === '' || isComment(raw)) {
      i++;
      continue;
    }
    const start = i;
    // join continuations: a line ending in the escape character goes on; comments and blank
    // lines inside are dropped, as docker does
    let logical = '';
    let current = raw;
    for (;;) {
      const trimmed = current.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && i + 1 < lines.length) {
        logical += trimmed.slice(0, -1);
        i++;
        while (i < lines.length && (isComment(lines[i]!) || lines[i]!.trim() === '')) i++;
        if (i >= lines.length) break;
        current = lines[i]!;
        continue;
      }
      logical += trimmed.endsWith(escape) ? trimmed.slice(0, -1) : current;
      break;
    }
    i++;
    const m = /^\s*(\S+)(?:\s+(.*))?$/s.exec(logical);
    const word = m![1]!;
    const keyword = word.toUpperCase();
    if (!KEYWORDS.has(keyword)) throw parseError(file, start + 1, `unknown instruction: ${word}`, 'UNKNOWN_INSTRUCTION');
    const { flags, rest } = splitFlags(keyword, m![2] ?? '', file, start + 1);
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword) && !rest.startsWith('[')) {
      for (const h of rest.matchAll(HEREDOC)) {
        const strip = h[1] === '-';
        const name = h[3]!;
        const body: string[] = [];
        for (;;) {
          if (i >= lines.length) throw parseError(file, start + 1, `unterminated heredoc ${name}`);
          const l = lines[i++]!;
          const candidate = strip ? l.replace(/^\t+/, '') : l;
          if (candidate === name) break;
          body.push(candidate);
        }
        heredocs.push({ name, content: body.length ? `${body.join('\n')}\n` : '', expand: h[2] === '' });
      }
    }
    const json = execForm(rest);
    instructions.push({ keyword, line: start + 1, flags, rest, ...(json ? { json } : {}), heredocs, original: logical.trim() });
  }
  return { file, directives, escape, instructions };
}

/** The last value of a flag, or undefined. */
export function flagValue(ins: Instruction, name: string): string | undefined {
  const f = ins.flags.filter((x) => x.name === name).pop();
  return f ? f.value ?? 'true' : undefined;
}

export function flagValues(ins: Instruction, name: string): string[] {
  return ins.flags.filter((x) => x.name === name).map((x) => x.value ?? 'true');
}
