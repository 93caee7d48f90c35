// `vessel`: global flags, then one command. Only this file and the commands print; only program.ts
// exits. Errors become one line, `Error: …`, with docker's exit code: 125 for a wrong invocation and
// for any failure of `run`/`create` (their `failureExitCode`), 1 for the other commands' failures.
import { DEFAULT_ROOT } from '../../engine/paths.js';
import type { Vessel } from '../../engine/vessel.js';
import { UsageError, type CommandSpec, type FlagSpecs, type Io } from './command.js';
import { commands, findCommand, groupMembers } from './commands/index.js';
import { flagHelp, parseFlags } from './flags.js';
import { VesselError, isVesselError, statusOf } from '../../vessel-error.js';

const VERSION = '0.1.0';

const globalFlags = {
  root: { type: 'string', description: 'Root directory of the engine state', valueName: 'string', default: DEFAULT_ROOT },
  version: { type: 'bool', short: 'v', description: 'Print version information and quit' },
} satisfies FlagSpecs;

function mainHelp(): string {
  const visible = commands.filter((c) => !c.hidden);
  const groups = [...new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];
  const rows = [...visible.map((c) => [c.name, c.summary]), ...groups.map((g) => [g, `Manage ${g}s`])].sort((a, b) => a[0]!.localeCompare(b[0]!));
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return [
    'Usage:  vessel [OPTIONS] COMMAND',
    '',
    'A daemonless, Docker-compatible container engine',
    '',
    'Commands:',
    ...rows.map(([n, s]) => `  ${n!.padEnd(width)}   ${s}`),
    '',
    'Global Options:',
    flagHelp(globalFlags),
    '',
    "Run 'vessel COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

function groupHelp(group: string): string {
  const members = groupMembers(group);
  const width = Math.max(...members.map((m) => m.name.length));
  return [`Usage:  vessel ${group} COMMAND`, '', `Manage ${group}s`, '', 'Commands:', ...members.map((m) => `  ${m.name.slice(group.length + 1).padEnd(width - group.length - 1)}   ${m.summary}`), '', `Run 'vessel ${group} COMMAND --help' for more information on a command.`, ''].join('\n');
}

function commandHelp(spec: CommandSpec<FlagSpecs>): string {
  const flags = flagHelp(spec.flags);
  return [`Usage:  ${spec.usage}`, '', spec.description, '', ...(flags ? ['Options:', flags, ''] : [])].join('\n') + '\n';
}

function splitGlobal(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-'; i++) {
    globals.push(argv[i]!);
    if (argv[i] === '--root') globals.push(argv[++i] ?? '');
  }
  return { globals, rest: argv.slice(i) };
}

function checkArgs(name: string, spec: CommandSpec<FlagSpecs>, args: string[]): void {
  const { min = 0, max = Infinity } = spec.args ?? {};
  if (args.length >= min && args.length <= max) return;
  const want = min === max ? `exactly ${min} argument${min === 1 ? '' : 's'}` : args.length < min ? `at least ${min} argument${min === 1 ? '' : 's'}` : `at most ${max} argument${max === 1 ? '' : 's'}`;
  throw new UsageError(`"vessel ${name}" requires ${want}.\nSee 'vessel ${name} --help'.\n\nUsage:  ${spec.usage}\n\n${spec.description}`);
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const { globals, rest } = splitGlobal(argv);
  const g = parseFlags(globalFlags, globals);
  if (g.flags.version) {
    io.out.write(`vessel version ${VERSION}\n`);
    return 0;
  }
  if (g.help || rest.length === 0) {
    io.out.write(mainHelp());
    return 0;
  }
  const found = findCommand(rest);
  if (!found) {
    if (groupMembers(rest[0]!).length > 0 && (rest.length === 1 || rest[1] === '--help')) {
      io.out.write(groupHelp(rest[0]!));
      return 0;
    }
    throw new UsageError(`vessel: '${rest.join(' ')}' is not a vessel command.\nSee 'vessel --help'`);
  }
  const spec = (await found.entry.load()).default;
  const parsed = parseFlags(spec.flags, found.rest, { interspersed: spec.interspersed ?? true });
  if (parsed.help) {
    io.out.write(commandHelp(spec));
    return 0;
  }
  checkArgs(found.entry.name, spec, parsed.args);
  const root = g.flags.root ?? process.env.VESSEL_ROOT ?? DEFAULT_ROOT;
  let vessel: Vessel | undefined;
  // loaded after the command's own module, so `--help` and usage errors never load the engine
  const { openVessel } = await import('../../engine/vessel.js');
  try {
    const code = await spec.run({
      args: parsed.args,
      flags: parsed.flags,
      isSet: (flag) => parsed.given.has(flag),
      io,
      root,
      vessel: () => (vessel ??= openVessel({ root })),
    });
    return code ?? 0;
  } catch (err) {
    if (spec.failureExitCode === undefined || err instanceof UsageError) throw err;
    throw new CommandFailed(err, spec.failureExitCode);
  } finally {
    vessel?.close();
  }
}

/** A command's failure that exits with the command's own code rather than 1. */
export class CommandFailed extends VesselError {
  readonly code: string;
  constructor(
    override readonly cause: unknown,
    readonly exitCode: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { status: statusOf(cause), object: isVesselError(cause) ? cause.object : undefined, cause });
    this.code = isVesselError(cause) ? cause.code : 'COMMAND_FAILED';
  }
}
