// Shared by the container commands: the engine of the invocation's facade, and its warnings.
import type { Engine } from '../../../engine/engine.js';
import type { FlagSpecs, Invocation } from '../command.js';

export function engineOf<F extends FlagSpecs>(inv: Invocation<F>): Engine {
  return inv.vessel().engine();
}

export function printWarnings(warnings: string[] | Engine, inv: { io: { err: NodeJS.WritableStream } }): void {
  for (const w of Array.isArray(warnings) ? warnings : warnings.warnings.splice(0)) inv.io.err.write(`WARNING: ${w}\n`);
}

/** Runs `fn` for each argument, printing what it returns; errors are printed and make the exit code 1. */
export async function forEachContainer(args: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }, fn: (ref: string) => Promise<string | void> | string | void): Promise<number> {
  let code = 0;
  for (const ref of args) {
    try {
      const out = await fn(ref);
      io.out.write(`${out ?? ref}\n`);
    } catch (e) {
      io.err.write(`Error response from daemon: ${(e as Error).message}\n`);
      code = 1;
    }
  }
  return code;
}
