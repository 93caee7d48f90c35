// `export`: a container's root file system (without its volumes) as a plain tar stream.
import { tarDirectory } from '../../image/layer/index.js';
import type { Engine } from '../engine.js';
import { withRootfs } from './view.js';

export async function exportContainer(engine: Engine, ref: string, out: NodeJS.WritableStream): Promise<void> {
  const rec = engine.containers.resolve(ref);
  await withRootfs(engine, rec, async (dir) => void (await tarDirectory(dir, out, { compression: 'none' })));
}
