// `load`: images from a docker-archive or oci-archive (plain or compressed tar, or stdin), or
// from an OCI layout directory.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { isDockerArchive, loadDockerArchive } from './archive/docker-archive.js';
import { extractArchive } from './archive/extract.js';
import { isOciLayout, loadOciLayout } from './archive/oci-layout.js';
import { ImageError } from './errors.js';
import type { ImageRecord } from './store/images.js';
import type { Store } from './store/index.js';

export type LoadSource = { path: string } | { stream: Readable; name: string };

export async function load(store: Store, source: LoadSource): Promise<ImageRecord[]> {
  if ('path' in source && statSync(source.path).isDirectory()) {
    if (!isOciLayout(source.path)) throw new ImageError('ARCHIVE_INVALID', `${source.path} is not an OCI layout directory`, source.path);
    return loadOciLayout(store, source.path, { move: false });
  }
  const subject = 'path' in source ? source.path : source.name;
  const input = 'path' in source ? createReadStream(source.path, { highWaterMark: 1 << 20 }) : source.stream;
  const { dir, cleanup } = await extractArchive(store.paths, input, subject);
  try {
    // docker 25+ archives are OCI layouts too; their manifest.json carries the tags
    if (isDockerArchive(dir)) return await loadDockerArchive(store, dir);
    if (isOciLayout(dir)) return await loadOciLayout(store, dir, { move: true });
    throw new ImageError('ARCHIVE_INVALID', `${subject} is neither a docker-archive nor an oci-archive`, subject);
  } finally {
    cleanup();
  }
}
