// Docker-style flag parsing: `-a`, `-aq`, `-o FILE`, `-oFILE`, `--name VALUE`, `--name=VALUE`,
// `--bool=false`, repeated flags for lists, `--` to end flags, and `-` as an argument.
import { UsageError, type FlagSpec, type FlagSpecs, type FlagValues } from './command.js';

export interface Parsed<F extends FlagSpecs> {
  flags: FlagValues<F>;
  args: string[];
  help: boolean;
  /** names of the flags the user actually gave */
  given: Set<string>;
}

function defaults<F extends FlagSpecs>(specs: F): FlagValues<F> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(specs)) {
    out[name] = s.default ?? (s.type === 'bool' ? false : s.type === 'strings' ? [] : undefined);
    if (Array.isArray(out[name])) out[name] = [...(out[name] as string[])];
  }
  return out as FlagValues<F>;
}

const BOOL_WORDS: Record<string, boolean> = { true: true, '1': true, t: true, TRUE: true, True: true, false: false, '0': false, f: false, FALSE: false, False: false };

function assign(values: Record<string, unknown>, name: string, spec: FlagSpec, raw: string, shown: string, given: Set<string>): void {
  given.add(name);
  const table: Record<FlagSpec['type'], () => unknown> = {
    bool: () => {
      const v = BOOL_WORDS[raw];
      if (v === undefined) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: expected a boolean`);
      return v;
    },
    string: () => raw,
    strings: () => [...(values[name] as string[]), raw],
    int: () => {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: expected an integer`);
      return Number(raw);
    },
  };
  values[name] = table[spec.type]();
}

export function parseFlags<F extends FlagSpecs>(specs: F, argv: readonly string[], opts: { interspersed?: boolean } = {}): Parsed<F> {
  const values = defaults(specs) as Record<string, unknown>;
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(specs)) if (s.short) byShort.set(s.short, name);
  const args: string[] = [];
  let help = false;
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      if (opts.interspersed === false) {
        args.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    const takeValue = (shown: string): string => {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${shown}`);
      return argv[++i]!;
    };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (name === 'help') {
        help = true;
        continue;
      }
      const spec = specs[name];
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      const raw = eq >= 0 ? a.slice(eq + 1) : spec.type === 'bool' ? 'true' : takeValue(`--${name}`);
      assign(values, name, spec, raw, name, given);
      continue;
    }
    // a cluster of short flags; the first one that takes a value consumes the rest (or the next arg)
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const name = byShort.get(c);
      if (!name) {
        if (c === 'h') {
          help = true;
          continue;
        }
        throw new UsageError(`unknown shorthand flag: '${c}' in ${a}`);
      }
      const spec = specs[name]!;
      if (spec.type === 'bool') {
        if (a[j + 1] === '=') {
          assign(values, name, spec, a.slice(j + 2), c, given);
          break;
        }
        values[name] = true;
        given.add(name);
        continue;
      }
      const rest = a.slice(j + 1).replace(/^=/, '');
      assign(values, name, spec, rest.length > 0 ? rest : takeValue(`-${c}`), c, given);
      break;
    }
  }
  return { flags: values as FlagValues<F>, args, help, given };
}

export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs)
    .filter(([, s]) => !s.hidden)
    .map(([name, s]) => {
      const value = s.type === 'bool' ? '' : ` ${s.valueName ?? (s.type === 'strings' ? 'list' : s.type)}`;
      const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${value}`;
      const dflt = s.default !== undefined && s.default !== false && !(Array.isArray(s.default) && s.default.length === 0) ? ` (default ${JSON.stringify(s.default)})` : '';
      return [left, `${s.description}${dflt}`] as const;
    });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}   ${r}`).join('\n');
}

/** `key=value` flags (--label, -o) as a record; a bare key maps to "". */
export function keyValues(items: string[]): Record<string, string> {
  return Object.fromEntries(items.map((i) => {
    const eq = i.indexOf('=');
    return eq < 0 ? [i, ''] : [i.slice(0, eq), i.slice(eq + 1)];
  }));
}
