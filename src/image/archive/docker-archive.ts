// docker-archive (`docker save`): manifest.json lists each image's config file, RepoTags and
// uncompressed layer tars. Loading synthesizes a schema2 manifest over the stored layers;
// saving writes skopeo's flat layout (<config hex>.json, <diff id hex>.tar).
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ImageError } from '../errors.js';
import { decompressor, detectCompression, type Compression } from '../layer/compression.js';
import type { TarEntry } from '../layer/tar-writer.js';
import { digestHex, MediaType, parseConfig, type ImageManifest } from '../manifest.js';
import { familiarReference, formatReference, parseReference } from '../reference.js';
import { registerImage } from '../register.js';
import { adoptBlobFile, openBlob, stagingPath, unstage, writeBlobBuffer } from '../store/blobs.js';
import type { ImageRecord } from '../store/images.js';
import type { Store } from '../store/index.js';
import { blobPath } from '../store/paths.js';

interface ArchiveManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

const layerMediaType: Record<Compression, string> = {
  none: MediaType.dockerLayer,
  gzip: MediaType.dockerLayerGzip,
  zstd: MediaType.ociLayerZstd,
};

function headOf(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    return buf.subarray(0, readSync(fd, buf, 0, 4, 0));
  } finally {
    closeSync(fd);
  }
}

export function isDockerArchive(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

export async function loadDockerArchive(store: Store, dir: string): Promise<ImageRecord[]> {
  const entries = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ArchiveManifestEntry[];
  const out: ImageRecord[] = [];
  for (const entry of entries) {
    const configBytes = readFileSync(join(dir, entry.Config));
    const config = parseConfig(configBytes, entry.Config);
    const configBlob = await writeBlobBuffer(store.paths, configBytes);
    const layers = [];
    for (const [i, path] of entry.Layers.entries()) {
      const file = join(dir, path);
      if (!existsSync(file)) throw new ImageError('ARCHIVE_INVALID', `layer ${path} listed in manifest.json is missing`, path);
      const compression = detectCompression(headOf(file));
      const { digest, size } = await adoptBlobFile(store.paths, file);
      if (compression === 'none' && digest !== config.rootfs.diff_ids[i]) {
        throw new ImageError('DIGEST_MISMATCH', `layer ${path} has digest ${digest}, config says ${config.rootfs.diff_ids[i]}`, path);
      }
      layers.push({ mediaType: layerMediaType[compression], digest, size });
    }
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: MediaType.dockerConfig, digest: configBlob.digest, size: configBlob.size },
      layers,
    };
    const names = (entry.RepoTags ?? []).map((t) => formatReference(parseReference(t)));
    out.push(await registerImage(store, { body: Buffer.from(JSON.stringify(manifest)), mediaType: MediaType.dockerManifest }, names));
  }
  return out;
}

/** The entries of a docker-archive for `images`, each with the names it should carry. */
export async function* dockerArchiveEntries(
  store: Store,
  images: { image: ImageRecord; names: string[] }[],
): AsyncGenerator<TarEntry> {
  const manifest: ArchiveManifestEntry[] = [];
  const written = new Set<string>();
  for (const { image, names } of images) {
    const configName = `${digestHex(image.id)}.json`;
    const layerNames: string[] = [];
    if (!written.has(configName)) {
      written.add(configName);
      yield { header: { name: configName, type: 'file', mode: 0o644, size: image.config.length }, body: image.config };
    }
    for (const layer of image.layers) {
      const name = `${digestHex(layer.diffId)}.tar`;
      layerNames.push(name);
      if (written.has(name)) continue;
      written.add(name);
      yield* uncompressedLayerEntry(store, layer.blobDigest, name);
    }
    manifest.push({ Config: configName, RepoTags: names.map((n) => familiarReference(parseReference(n))), Layers: layerNames });
  }
  const body = Buffer.from(JSON.stringify(manifest));
  yield { header: { name: 'manifest.json', type: 'file', mode: 0o644, size: body.length }, body };
}

// A tar header needs the size up front, so a compressed blob is first decompressed to a file.
async function* uncompressedLayerEntry(store: Store, blobDigest: string, name: string): AsyncGenerator<TarEntry> {
  const src = blobPath(store.paths, blobDigest);
  const compression = detectCompression(headOf(src));
  if (compression === 'none') {
    const size = statSync(src).size;
    yield { header: { name, type: 'file', mode: 0o644, size }, body: createReadStream(src, { highWaterMark: 1 << 20 }) };
    return;
  }
  const tmp = stagingPath(store.paths, 'save-layer');
  try {
    await pipeline(openBlob(store.paths, blobDigest), decompressor(compression), createWriteStream(tmp));
    const size = statSync(tmp).size;
    yield { header: { name, type: 'file', mode: 0o644, size }, body: createReadStream(tmp, { highWaterMark: 1 << 20 }) };
  } finally {
    unstage(tmp);
  }
}
