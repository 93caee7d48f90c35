// Records an image whose manifest, config and layer blobs are already in the blob store
// (from an archive or an import): unpacks its layers once each and commits the metadata.
import { runBounded } from './bounded.js';
import { ImageError } from './errors.js';
import { chainIds, parseConfig, parseManifest, sha256Digest } from './manifest.js';
import { hasBlob, readBlob, writeBlobBuffer } from './store/blobs.js';
import type { ImageRecord } from './store/images.js';
import type { Store } from './store/index.js';
import { unpackLayer } from './store/unpack.js';

export async function registerImage(
  store: Store,
  manifest: { body: Buffer; mediaType: string },
  names: readonly string[],
): Promise<ImageRecord> {
  const manifestDigest = sha256Digest(manifest.body);
  const parsed = parseManifest(manifest.body, manifestDigest);
  await writeBlobBuffer(store.paths, manifest.body, manifestDigest);
  const configBytes = readBlob(store.paths, parsed.config.digest);
  const config = parseConfig(configBytes, parsed.config.digest);
  if (config.rootfs.diff_ids.length !== parsed.layers.length) {
    throw new ImageError('ARCHIVE_INVALID', `image ${parsed.config.digest}: ${parsed.layers.length} layers but ${config.rootfs.diff_ids.length} diff ids`, parsed.config.digest);
  }
  const chains = chainIds(config.rootfs.diff_ids);
  const layers = await runBounded(parsed.layers, 4, async (desc, i) => {
    if (!hasBlob(store.paths, desc.digest)) throw new ImageError('BLOB_NOT_FOUND', `layer blob ${desc.digest} is missing`, desc.digest);
    const diffId = config.rootfs.diff_ids[i]!;
    const { meta } = await unpackLayer(store.paths, { chainId: chains[i]!, diffId, parent: i === 0 ? null : chains[i - 1]!, blobDigest: desc.digest });
    return { chainId: chains[i]!, diffId, blobDigest: desc.digest, blobSize: desc.size, mediaType: desc.mediaType, size: meta.size };
  });
  return store.images.commit(
    {
      id: parsed.config.digest,
      manifestDigest,
      manifestMediaType: manifest.mediaType,
      manifest: manifest.body,
      config: configBytes,
      layers,
      blobs: [
        { digest: manifestDigest, size: manifest.body.length, mediaType: manifest.mediaType },
        { digest: parsed.config.digest, size: configBytes.length, mediaType: parsed.config.mediaType },
        ...parsed.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
      ],
    },
    names,
  );
}
