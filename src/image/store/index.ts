// The content store: blobs and unpacked layers on disk under the engine root, metadata in the
// engine's state database.
import { mkdirSync } from 'node:fs';
import { openStateDb, type StateDb } from '../../state/db.js';
import { removeBlobFile, sweepUnclaimed, unclaimedFiles, type KnownFiles } from './blob-files.js';
import { ImageStore } from './images.js';
import { removeLayerDir } from './layers.js';
import { DEFAULT_ROOT, storePaths, type StorePaths } from './paths.js';

export interface Store {
  paths: StorePaths;
  db: StateDb;
  images: ImageStore;
  close(): void;
}

/** Opens the store under `root`; pass `db` when the engine already holds the database open. */
export function openStore(root: string = DEFAULT_ROOT, db?: StateDb): Store {
  const paths = storePaths(root);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const state = db ?? openStateDb(paths.db);
  return { paths, db: state, images: new ImageStore(state), close: () => (db ? undefined : state.close()) };
}

/**
 * Deletes layers and blobs no image references. Rows go first, in one transaction, so a
 * concurrent reader never finds a row whose files are gone.
 */
export function collectGarbage(store: Store): { layers: string[]; blobs: string[]; reclaimed: number } {
  const sql = store.db.sql;
  const result = store.db.transaction(() => {
    const layers = store.images.unreferencedLayers();
    const blobs = store.images.unreferencedBlobs();
    let reclaimed = 0;
    for (const c of layers) reclaimed += (sql.prepare('SELECT size FROM layers WHERE chain_id = ?').get(c) as { size: number }).size;
    for (const d of blobs) reclaimed += (sql.prepare('SELECT size FROM blobs WHERE digest = ?').get(d) as { size: number }).size;
    for (const c of layers) store.images.forgetLayer(c);
    for (const d of blobs) store.images.forgetBlob(d);
    return { layers, blobs, reclaimed };
  });
  for (const c of result.layers) removeLayerDir(store.paths, c);
  for (const d of result.blobs) removeBlobFile(store.paths, d);
  sweepUnclaimed(store.paths, knownFiles(store));
  return result;
}

function knownFiles(store: Store): KnownFiles {
  const blob = store.db.sql.prepare('SELECT 1 FROM blobs WHERE digest = ?');
  const layer = store.db.sql.prepare('SELECT 1 FROM layers WHERE chain_id = ?');
  return { blob: (hex) => blob.get(`sha256:${hex}`) !== undefined, layer: (hex) => layer.get(`sha256:${hex}`) !== undefined };
}

/** Image data on disk that no image owns (left by a killed pull, load or import, or being written
 * right now): `system df` counts it, the next garbage collection removes it. */
export function unownedImageFiles(store: Store): string[] {
  return unclaimedFiles(store.paths, knownFiles(store));
}

export { ImageStore, type ImageRecord, type ImageLayerRecord, type NewImage } from './images.js';
export { storePaths, layerDiffDir, blobPath, DEFAULT_ROOT, type StorePaths } from './paths.js';
