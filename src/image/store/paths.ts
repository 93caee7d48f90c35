// Where everything lives under the engine root. Staging dirs sit on the same filesystem as their
// destinations so a finished blob or layer appears with one atomic rename.
import { join } from 'node:path';

export const DEFAULT_ROOT = '/var/lib/vessel';

export interface StorePaths {
  root: string;
  db: string;
  blobs: string;
  layers: string;
  tmp: string;
  authFile: string;
}

export function storePaths(root: string = DEFAULT_ROOT): StorePaths {
  return {
    root,
    db: join(root, 'vessel.db'),
    blobs: join(root, 'blobs', 'sha256'),
    layers: join(root, 'layers'),
    tmp: join(root, 'tmp'),
    authFile: process.env.REGISTRY_AUTH_FILE ?? join(root, 'auth.json'),
  };
}

export function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export function blobPath(paths: StorePaths, digest: string): string {
  return join(paths.blobs, hexOf(digest));
}

/** The directory holding one unpacked layer: `diff/` (the overlay lowerdir) and `meta.json`. */
export function layerRoot(paths: StorePaths, chainId: string): string {
  return join(paths.layers, hexOf(chainId));
}

export function layerDiffDir(paths: StorePaths, chainId: string): string {
  return join(layerRoot(paths, chainId), 'diff');
}
