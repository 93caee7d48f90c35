// What every engine operation receives: the root, the state db, the image store, the runtime.
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '../image/store/index.js';
import { runtimeContext, type RuntimeContext } from '../runtime/index.js';
import { runtimeRoot } from './paths.js';
import { ContainerStore } from './store/containers.js';
import { VolumeStore } from './store/volumes.js';

export interface Engine {
  root: string;
  images: Store;
  containers: ContainerStore;
  volumes: VolumeStore;
  runtime: RuntimeContext;
  /** The command line that reaches this engine's CLI, for the supervisor's --on-exit. */
  cli: string[];
  /** Non-fatal problems, for the CLI to print. */
  warnings: string[];
}

export function openEngine(root: string, images: Store, cli: string[] = defaultCli()): Engine {
  const warnings: string[] = [];
  return {
    root,
    images,
    containers: new ContainerStore(images.db),
    volumes: new VolumeStore(images.db, root),
    runtime: runtimeContext(runtimeRoot(root), (m) => warnings.push(m)),
    cli,
    warnings,
  };
}

/** node + the script this process runs (dist/vessel.cjs), which has the hidden cleanup command. */
function defaultCli(): string[] {
  return [process.execPath, ...process.execArgv.filter((a) => !a.startsWith('--inspect')), process.argv[1] ?? ''];
}

const BINARIES = { init: 'vessel-init' } as const;

/** build/Release/<name> next to the native module, searched upwards from this file. */
export function nativeExecutable(name: keyof typeof BINARIES): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'build', 'Release', BINARIES[name]);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
