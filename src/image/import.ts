// `import`: a root filesystem tarball (plain, gzip or zstd) becomes a one-layer image, stored as
// a gzip layer with a docker schema2 manifest.
import { Readable } from 'node:stream';
import { applyChanges } from './changes.js';
import { sniff } from './archive/extract.js';
import { compressor, decompressor, detectCompression, SNIFF_BYTES } from './layer/compression.js';
import { MediaType, sha256Digest, type ImageConfig, type ImageManifest } from './manifest.js';
import { hostPlatform, parsePlatform } from './platform.js';
import { formatReference, parseReference } from './reference.js';
import { registerImage } from './register.js';
import { Digester, writeBlob, writeBlobBuffer } from './store/blobs.js';
import type { ImageRecord } from './store/images.js';
import type { Store } from './store/index.js';

export interface ImportOptions {
  reference?: string;
  /** Dockerfile instructions: `CMD ["sh"]`, `ENV K=V`, … */
  changes?: string[];
  message?: string;
  platform?: string;
  /** what the history says it came from (the file name, or "-") */
  source?: string;
}

export async function importRootfs(store: Store, input: Readable, opts: ImportOptions = {}): Promise<ImageRecord> {
  const { head, stream } = await sniff(input, SNIFF_BYTES);
  const diff = new Digester();
  const plain = stream.pipe(decompressor(detectCompression(head)));
  plain.on('error', (e) => diff.destroy(e));
  const gz = plain.pipe(diff).pipe(compressor('gzip'));
  diff.on('error', (e) => gz.destroy(e));
  const layerBlob = await writeBlob(store.paths, Readable.from(gz));
  const diffId = diff.digest();
  const platform = opts.platform ? parsePlatform(opts.platform) : hostPlatform();
  const created = new Date().toISOString();
  const config: ImageConfig = {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: applyChanges({}, opts.changes ?? []),
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: `vessel import ${opts.source ?? '-'}`, ...(opts.message ? { comment: opts.message } : { comment: `Imported from ${opts.source ?? '-'}` }) }],
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configBlob = await writeBlobBuffer(store.paths, configBytes, sha256Digest(configBytes));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: configBlob.digest, size: configBlob.size },
    layers: [{ mediaType: MediaType.dockerLayerGzip, digest: layerBlob.digest, size: layerBlob.size }],
  };
  const names = opts.reference ? [formatReference(parseReference(opts.reference))] : [];
  return registerImage(store, { body: Buffer.from(JSON.stringify(manifest)), mediaType: MediaType.dockerManifest }, names);
}
