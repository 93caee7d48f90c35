// A small runc-style argument parser: global flags, a command, its flags, then positionals.
// Flags may come as --name value, --name=value, -n value; boolean flags take no value.
import { VesselError } from '../../vessel-error.js';
export interface FlagSpec {
  /** Long name without dashes; aliases include short ones ("b") and other long ones. */
  name: string;
  aliases?: string[];
  type: 'string' | 'bool' | 'list';
  help: string;
}

export interface Parsed {
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
}

export class UsageError extends VesselError {
  override name = 'UsageError';
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
  }
}

/**
 * Parses until the first positional when `stopAtPositional` (runc's behaviour: `exec ID sh -c x`
 * passes everything after the id through), else everywhere.
 */
export function parseArgs(argv: string[], specs: FlagSpec[], stopAtPositional: boolean): Parsed {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) for (const n of [s.name, ...(s.aliases ?? [])]) byName.set(n, s);
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      if (stopAtPositional) {
        positionals.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown flag ${arg}`);
    if (spec.type === 'bool') {
      flags[spec.name] = eq >= 0 ? body.slice(eq + 1) !== 'false' : true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`flag ${arg} needs a value`);
      value = argv[++i]!;
    }
    if (spec.type === 'list') flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), value];
    else flags[spec.name] = value;
  }
  return { flags, positionals };
}

export function flagHelp(specs: FlagSpec[]): string {
  return specs
    .map((s) => {
      const names = [s.name, ...(s.aliases ?? [])].map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ');
      return `   ${(names + (s.type === 'bool' ? '' : ' value')).padEnd(34)} ${s.help}`;
    })
    .join('\n');
}
