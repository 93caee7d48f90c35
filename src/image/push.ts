// `push`: upload an image's blobs (skipping ones the repository has, mounting ones the registry
// holds in another repository) and then its manifest, byte for byte as stored, so digests match.
import { runBounded } from './bounded.js';
import { ImageError } from './errors.js';
import { parseManifest } from './manifest.js';
import { shortId, type ProgressSink } from './progress.js';
import { formatReference, parseReference, repositoryName } from './reference.js';
import type { RegistryClient } from './registry/client.js';
import { clientFor, type RegistryAccess } from './registry/session.js';
import { blobSize, hasBlob } from './store/blobs.js';
import type { Store } from './store/index.js';
import { blobPath } from './store/paths.js';

export interface PushOptions extends RegistryAccess {
  concurrency?: number;
  onProgress?: ProgressSink;
}

export interface PushResult {
  reference: string;
  digest: string;
  size: number;
}

export async function push(store: Store, reference: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = parseReference(reference);
  const image = store.images.resolve(reference);
  const client = clientFor(store.paths, ref.registry, opts);
  const progress = opts.onProgress ?? (() => {});
  const manifest = parseManifest(image.manifest, reference);
  const repo = ref.repository;
  for (const l of manifest.layers) progress({ type: 'layer', id: shortId(l.digest), status: 'Preparing' });
  await runBounded([...manifest.layers, manifest.config], opts.concurrency ?? 4, async (desc) => {
    const status = await pushBlob(store, client, repo, desc.digest);
    if (desc !== manifest.config) progress({ type: 'layer', id: shortId(desc.digest), status });
  });
  const tag = ref.digest ?? ref.tag ?? 'latest';
  const digest = await client.putManifest(repo, tag, image.manifest, image.manifestMediaType);
  store.db.transaction(() => {
    store.db.sql
      .prepare('INSERT OR REPLACE INTO image_digests (repository, digest, image_id) VALUES (?, ?, ?)')
      .run(repositoryName(ref), digest, image.id);
  });
  return { reference: formatReference(ref), digest, size: image.manifest.length };
}

async function pushBlob(store: Store, client: RegistryClient, repo: string, digest: string): Promise<'Layer already exists' | 'Mounted' | 'Pushed'> {
  if (await client.hasBlob(repo, digest)) return 'Layer already exists';
  for (const from of store.images.blobSources(digest, client.registry)) {
    if (from !== repo && (await client.mountBlob(repo, digest, from))) {
      recordSource(store, digest, client.registry, repo);
      return 'Mounted';
    }
  }
  if (!hasBlob(store.paths, digest)) {
    throw new ImageError('BLOB_NOT_FOUND', `blob ${digest} is missing from the store; pull the image again`, digest);
  }
  await client.uploadBlob(repo, { digest, size: blobSize(store.paths, digest), path: blobPath(store.paths, digest) });
  recordSource(store, digest, client.registry, repo);
  return 'Pushed';
}

function recordSource(store: Store, digest: string, registry: string, repo: string): void {
  store.db.transaction(() => store.images.recordBlobSource(digest, registry, repo));
}
