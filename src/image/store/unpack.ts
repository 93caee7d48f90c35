// Unpacks a stored layer blob into its layer directory (through ensureLayer's staging).
import { createReadStream } from 'node:fs';
import { extractLayer } from '../layer/index.js';
import { ensureLayer, type LayerMeta } from './layers.js';
import { blobPath, type StorePaths } from './paths.js';

export async function unpackLayer(
  paths: StorePaths,
  layer: { chainId: string; diffId: string; parent: string | null; blobDigest: string },
): Promise<{ meta: LayerMeta; created: boolean }> {
  return ensureLayer(paths, layer, (dir) => extractLayer(createReadStream(blobPath(paths, layer.blobDigest), { highWaterMark: 1 << 20 }), dir));
}
