// Shared by the container commands: the engine over the invocation's store, and its warnings.
import { openEngine, type Engine } from '../../../engine/engine.js';
import type { FlagSpecs, Invocation } from '../command.js';

export function engineOf<F extends FlagSpecs>(inv: Invocation<F>): Engine {
  return openEngine(inv.root, inv.store());
}

export function printWarnings(engine: Engine, inv: { io: { err: NodeJS.WritableStream } }): void {
  for (const w of engine.warnings.splice(0)) inv.io.err.write(`WARNING: ${w}\n`);
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
