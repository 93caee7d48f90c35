// `save`: images to a docker-archive (docker's default), an oci-archive, or an OCI layout dir.
import { dockerArchiveEntries } from './archive/docker-archive.js';
import { ociLayoutEntries } from './archive/oci-layout.js';
import { writeEntriesToDir } from './archive/write-dir.js';
import { writeTar } from './layer/tar-writer.js';
import { formatReference, parseReference } from './reference.js';
import type { ImageRecord } from './store/images.js';
import type { Store } from './store/index.js';

export type SaveFormat = 'docker-archive' | 'oci-archive' | 'oci-dir';
export const SAVE_FORMATS: readonly SaveFormat[] = ['docker-archive', 'oci-archive', 'oci-dir'];

export type SaveTarget = { stream: NodeJS.WritableStream } | { dir: string };

function selection(store: Store, refs: readonly string[]): { image: ImageRecord; names: string[] }[] {
  const byId = new Map<string, { image: ImageRecord; names: string[] }>();
  for (const r of refs) {
    const image = store.images.resolve(r);
    const entry = byId.get(image.id) ?? { image, names: [] };
    byId.set(image.id, entry);
    let name: string | undefined;
    try {
      const ref = parseReference(r);
      name = ref.digest ? undefined : formatReference(ref);
    } catch {
      name = undefined;
    }
    if (name && image.names.includes(name) && !entry.names.includes(name)) entry.names.push(name);
  }
  return [...byId.values()];
}

export async function save(store: Store, refs: readonly string[], target: SaveTarget, format: SaveFormat = 'docker-archive'): Promise<void> {
  const images = selection(store, refs);
  const entries = format === 'docker-archive' ? dockerArchiveEntries(store, images) : ociLayoutEntries(store, images);
  if ('dir' in target) await writeEntriesToDir(entries, target.dir);
  else await writeTar(entries, target.stream);
}
