// `pull`: resolve a reference on its registry, pick the platform's manifest, fetch the config and
// the missing layer blobs in parallel (verified), unpack each layer once, and record the image.
import { setTimeout as sleep } from 'node:timers/promises';
import { runBounded } from './bounded.js';
import { ImageError } from './errors.js';
import {
  chainIds,
  INDEX_TYPES,
  MediaType,
  parseConfig,
  parseIndex,
  parseManifest,
  type Descriptor,
} from './manifest.js';
import { hostPlatform, parsePlatform, selectManifest } from './platform.js';
import { shortId, type ProgressSink } from './progress.js';
import { formatReference, parseReference, repositoryName } from './reference.js';
import type { RegistryClient } from './registry/client.js';
import { clientFor, type RegistryAccess } from './registry/session.js';
import { isTransient } from './registry/transport.js';
import { hasBlob, readBlob, writeBlob, writeBlobBuffer } from './store/blobs.js';
import type { ImageLayerRecord, ImageRecord } from './store/images.js';
import type { Store } from './store/index.js';
import { readLayerMeta } from './store/layers.js';
import { unpackLayer } from './store/unpack.js';
import { activeTracer } from '../trace/active.js';

export interface PullOptions extends RegistryAccess {
  /** os/arch[/variant]; the host's by default */
  platform?: string;
  /** parallel layer downloads */
  concurrency?: number;
  onProgress?: ProgressSink;
}

export const DEFAULT_PULL_CONCURRENCY = 4;
const BLOB_ATTEMPTS = 3;

export async function pull(store: Store, reference: string, opts: PullOptions = {}): Promise<ImageRecord> {
  const ref = parseReference(reference);
  const repo = ref.repository;
  const client = clientFor(store.paths, ref.registry, opts);
  const progress = opts.onProgress ?? (() => {});
  const platform = opts.platform ? parsePlatform(opts.platform) : hostPlatform();

  const tracer = activeTracer();
  const top = await tracer.spanAsync('image', 'manifest', (m) => `GET ${ref.registry}/${repo}:${ref.digest ?? ref.tag}${m ? ` -> ${m.mediaType}` : ''}`, () => client.getManifest(repo, ref.digest ?? ref.tag!));
  const blobs: { digest: string; size: number; mediaType: string }[] = [];
  let manifest = top;
  if (INDEX_TYPES.includes(top.mediaType)) {
    const index = parseIndex(top.body, reference);
    const chosen = selectManifest(index.manifests, platform, formatReference(ref));
    manifest = await client.getManifest(repo, chosen.digest);
    await writeBlobBuffer(store.paths, top.body, top.digest);
    blobs.push({ digest: top.digest, size: top.body.length, mediaType: top.mediaType });
  }
  const parsed = parseManifest(manifest.body, reference);
  await writeBlobBuffer(store.paths, manifest.body, manifest.digest);
  blobs.push({ digest: manifest.digest, size: manifest.body.length, mediaType: manifest.mediaType });

  const configDigest = parsed.config.digest;
  const configBytes = hasBlob(store.paths, configDigest)
    ? readBlob(store.paths, configDigest)
    : await client.getBlobBuffer(repo, configDigest);
  await writeBlobBuffer(store.paths, configBytes, configDigest);
  blobs.push({ digest: configDigest, size: configBytes.length, mediaType: parsed.config.mediaType });
  const config = parseConfig(configBytes, reference);
  if (config.rootfs.diff_ids.length !== parsed.layers.length) {
    throw new ImageError('MANIFEST_UNSUPPORTED', `${reference}: manifest has ${parsed.layers.length} layers, config ${config.rootfs.diff_ids.length}`, reference);
  }
  for (const l of parsed.layers) {
    if (l.mediaType === MediaType.dockerForeignLayer) throw new ImageError('MANIFEST_UNSUPPORTED', `${reference}: foreign layers are not supported`, l.digest);
  }
  const chains = chainIds(config.rootfs.diff_ids);
  for (const l of parsed.layers) progress({ type: 'layer', id: shortId(l.digest), status: 'Waiting' });

  const layers = await runBounded(parsed.layers, opts.concurrency ?? DEFAULT_PULL_CONCURRENCY, async (desc, i): Promise<ImageLayerRecord> => {
    const chainId = chains[i]!;
    const diffId = config.rootfs.diff_ids[i]!;
    const id = shortId(desc.digest);
    const present = readLayerMeta(store.paths, chainId);
    if (present && hasBlob(store.paths, desc.digest)) {
      progress({ type: 'layer', id, status: 'Already exists' });
      return { chainId, diffId, blobDigest: desc.digest, blobSize: desc.size, mediaType: desc.mediaType, size: present.size };
    }
    if (!hasBlob(store.paths, desc.digest)) {
      await tracer.spanAsync('image', 'download', `layer ${desc.digest} (${desc.size} bytes, ${desc.mediaType})`, () => downloadBlob(store, client, repo, desc, progress));
    }
    progress({ type: 'layer', id, status: 'Extracting' });
    const { meta } = await tracer.spanAsync(
      'image',
      'extract',
      (r) => `layer ${desc.digest} -> chain ${chainId}${r ? ` (${r.meta.size} bytes unpacked)` : ''}`,
      () => unpackLayer(store.paths, { chainId, diffId, parent: i === 0 ? null : chains[i - 1]!, blobDigest: desc.digest }),
    );
    progress({ type: 'layer', id, status: 'Pull complete' });
    return { chainId, diffId, blobDigest: desc.digest, blobSize: desc.size, mediaType: desc.mediaType, size: meta.size };
  });
  for (const l of parsed.layers) blobs.push({ digest: l.digest, size: l.size, mediaType: l.mediaType });

  const repoDigest = `${repositoryName(ref)}@${top.digest}`;
  const image = store.images.commit(
    {
      id: configDigest,
      manifestDigest: manifest.digest,
      manifestMediaType: manifest.mediaType,
      manifest: manifest.body,
      config: configBytes,
      layers,
      blobs,
    },
    ref.tag !== undefined ? [formatReference({ registry: ref.registry, repository: ref.repository, tag: ref.tag })] : [],
    repoDigest,
  );
  store.db.transaction(() => {
    for (const l of parsed.layers) store.images.recordBlobSource(l.digest, ref.registry, repo);
    store.images.recordBlobSource(configDigest, ref.registry, repo);
  });
  return image;
}

async function downloadBlob(store: Store, client: RegistryClient, repo: string, desc: Descriptor, progress: ProgressSink): Promise<void> {
  const id = shortId(desc.digest);
  for (let attempt = 1; ; attempt++) {
    let current = 0;
    try {
      const body = await client.getBlob(repo, desc.digest);
      progress({ type: 'layer', id, status: 'Downloading', current: 0, total: desc.size });
      await writeBlob(store.paths, body, { digest: desc.digest, size: desc.size }, (n) => {
        current += n;
        progress({ type: 'layer', id, status: 'Downloading', current, total: desc.size });
      });
      progress({ type: 'layer', id, status: 'Download complete' });
      return;
    } catch (err) {
      // a connection dropped mid-body is worth another try; a wrong digest or a 404 is not
      if (attempt >= BLOB_ATTEMPTS || !isTransient(err)) throw err;
      await sleep(200 * attempt);
    }
  }
}
