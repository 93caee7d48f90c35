// Unpacked layers, one directory per chain id shared by every image that has it. A layer is
// extracted into a staging dir and renamed into place whole, so concurrent pulls of the same layer
// (even in different processes) never see or leave a half-extracted directory: the loser of the
// rename race discards its copy.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainNoSpace, ImageError } from '../errors.js';
import { stagingPath, unstage } from './blob-files.js';
import { layerRoot, type StorePaths } from './paths.js';

export interface LayerMeta {
  chainId: string;
  diffId: string;
  parent: string | null;
  /** bytes of unpacked content */
  size: number;
}

export function readLayerMeta(paths: StorePaths, chainId: string): LayerMeta | undefined {
  const file = join(layerRoot(paths, chainId), 'meta.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LayerMeta;
}

/**
 * Makes sure the layer `chainId` is unpacked; `unpack` fills a fresh directory and returns the
 * diff id it saw, which must match.
 */
export async function ensureLayer(
  paths: StorePaths,
  layer: { chainId: string; diffId: string; parent: string | null },
  unpack: (dir: string) => Promise<{ diffId: string; size: number }>,
): Promise<{ meta: LayerMeta; created: boolean }> {
  const existing = readLayerMeta(paths, layer.chainId);
  if (existing) return { meta: existing, created: false };
  const staging = stagingPath(paths, 'layer');
  try {
    let got: { diffId: string; size: number };
    try {
      mkdirSync(join(staging, 'diff'), { recursive: true, mode: 0o755 });
      got = await unpack(join(staging, 'diff'));
    } catch (e) {
      throw explainNoSpace(e, `unpacking layer ${layer.diffId} into ${staging}`, layer.diffId);
    }
    if (got.diffId !== layer.diffId) {
      throw new ImageError(
        'DIGEST_MISMATCH',
        `layer content has diff id ${got.diffId}, image config says ${layer.diffId}`,
        layer.diffId,
      );
    }
    const meta: LayerMeta = { ...layer, size: got.size };
    writeFileSync(join(staging, 'meta.json'), JSON.stringify(meta));
    mkdirSync(paths.layers, { recursive: true });
    try {
      renameSync(staging, layerRoot(paths, layer.chainId));
      return { meta, created: true };
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw cause;
      // another process finished the same layer first; theirs is identical
      return { meta: readLayerMeta(paths, layer.chainId) ?? meta, created: false };
    }
  } finally {
    unstage(staging);
  }
}

/** Removes a layer dir: renamed away first so no one can see it half-deleted. */
export function removeLayerDir(paths: StorePaths, chainId: string): void {
  const dir = layerRoot(paths, chainId);
  if (!existsSync(dir)) return;
  const doomed = stagingPath(paths, 'rm-layer');
  renameSync(dir, doomed);
  unstage(doomed);
}
