// The exit code a foreground `run`/`start -a` returns once its attach session ended: the exit
// file, or (when --rm removed the container meanwhile) the "die" event its cleanup recorded.
import type { Engine } from '../engine.js';
import { containerPaths } from '../paths.js';
import { readEvents } from '../store/events.js';
import { readExitFile } from '../supervisor/exit-file.js';
import { waitForExit } from './stop.js';

const ATTEMPTS = 500;

export async function exitCodeAfterSession(engine: Engine, id: string, pause: () => Promise<unknown>): Promise<number> {
  const exitFile = containerPaths(engine.root, id).exitFile;
  // record the end here rather than wait for the supervisor's cleanup: whichever comes first
  // applies --rm and the restart policy, the other finds it done
  await waitForExit(engine, id, 0, true);
  for (let i = 0; i < ATTEMPTS; i++) {
    try {
      const exit = readExitFile(exitFile);
      if (exit) return exit.exitCode;
    } catch {
      // removed while we read it
    }
    const die = readEvents(engine.images.db, 0, id).reverse().find((e) => e.action === 'die');
    if (die) return Number(die.attributes.exitCode ?? 0);
    await pause();
  }
  return 125;
}
