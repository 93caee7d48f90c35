// The shape of a CLI command: its flags (docker-style), its arguments and a run function. A
// command module default-exports `defineCommand({...})`; commands/index.ts lists them.
import { VesselError } from '../../vessel-error.js';
import type { Vessel } from '../../engine/vessel.js';

export type FlagType = 'bool' | 'string' | 'strings' | 'int';

export interface FlagSpec {
  type: FlagType;
  short?: string;
  description: string;
  /** shown in --help: `--format string` */
  valueName?: string;
  default?: boolean | string | number | string[];
  hidden?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

type ValueOf<S extends FlagSpec> = S['type'] extends 'bool'
  ? boolean
  : S['type'] extends 'int'
    ? number | undefined
    : S['type'] extends 'strings'
      ? string[]
      : string | undefined;

export type FlagValues<F extends FlagSpecs> = { [K in keyof F]: ValueOf<F[K]> };

export interface Io {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  in: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface Invocation<F extends FlagSpecs> {
  args: string[];
  flags: FlagValues<F>;
  /** whether the user gave a flag (to tell an explicit value from the default) */
  isSet(flag: keyof F & string): boolean;
  io: Io;
  /** the engine root (`--root`) */
  root: string;
  /** the engine facade over the root, opened on first use and closed after the command */
  vessel(): Vessel;
}

export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  usage: string;
  description: string;
  flags: F;
  /** how many positional arguments are accepted */
  args?: { min?: number; max?: number };
  /** false: flags stop at the first argument (for commands that take a command line) */
  interspersed?: boolean;
  /** docker's exit code when this command fails in the engine: 125 for `run` and `create` (where
   * the container's own codes use the rest); 1, the default, for the others */
  failureExitCode?: number;
  /** the exit code; nothing means 0 */
  run(inv: Invocation<F>): Promise<number | void> | number | void;
}

export function defineCommand<F extends FlagSpecs>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

/** A wrong invocation: docker exits 125 for these. */
export class UsageError extends VesselError {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
    this.name = 'UsageError';
  }
}
