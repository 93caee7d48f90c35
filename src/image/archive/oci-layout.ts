// OCI image layout (a directory, or the tar of one: oci-archive): oci-layout, index.json and
// blobs/sha256/*. Blobs move as they are, so manifest digests survive a save/load round trip.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImageError } from '../errors.js';
import type { TarEntry } from '../layer/tar-writer.js';
import { INDEX_TYPES, MANIFEST_TYPES, parseIndex, parseManifest, sha256Digest, type Descriptor, type ImageIndex } from '../manifest.js';
import { hostPlatform, selectManifest } from '../platform.js';
import { formatReference, parseReference } from '../reference.js';
import { registerImage } from '../register.js';
import { adoptBlobFile, hasBlob, openBlob, writeBlob } from '../store/blobs.js';
import type { ImageRecord } from '../store/images.js';
import type { Store } from '../store/index.js';
import { blobPath, hexOf } from '../store/paths.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';
const LAYOUT = Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }));

export function isOciLayout(dir: string): boolean {
  return existsSync(join(dir, 'oci-layout')) && existsSync(join(dir, 'index.json'));
}

// A ref.name may be a bare tag (the spec's suggestion) or a whole reference (skopeo, podman).
function nameOf(desc: Descriptor): string | undefined {
  const candidate = desc.annotations?.[CONTAINERD_NAME] ?? desc.annotations?.[REF_NAME];
  if (!candidate || !/[/:]/.test(candidate)) return undefined;
  try {
    const ref = parseReference(candidate);
    return ref.tag ? formatReference({ registry: ref.registry, repository: ref.repository, tag: ref.tag }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads every image the layout's index names. `move` renames blob files into the store (for a
 * staging dir we own); otherwise they are copied.
 */
export async function loadOciLayout(store: Store, dir: string, opts: { move: boolean }): Promise<ImageRecord[]> {
  const blobsDir = join(dir, 'blobs', 'sha256');
  const index = parseIndex(readFileSync(join(dir, 'index.json')), join(dir, 'index.json'));
  const readLayoutBlob = (digest: string): Buffer => {
    const body = readFileSync(join(blobsDir, hexOf(digest)));
    if (sha256Digest(body) !== digest) throw new ImageError('DIGEST_MISMATCH', `layout blob ${digest} is corrupt`, digest);
    return body;
  };
  const importBlob = async (digest: string): Promise<void> => {
    if (hasBlob(store.paths, digest)) return;
    const file = join(blobsDir, hexOf(digest));
    if (!existsSync(file)) throw new ImageError('BLOB_NOT_FOUND', `blob ${digest} is missing from ${dir}`, digest);
    if (opts.move) await adoptBlobFile(store.paths, file, digest);
    else await writeBlob(store.paths, createReadStream(file, { highWaterMark: 1 << 20 }), { digest });
  };
  const out: ImageRecord[] = [];
  for (const top of index.manifests) {
    let desc = top;
    if (INDEX_TYPES.includes(desc.mediaType)) {
      const nested = parseIndex(readLayoutBlob(desc.digest), desc.digest);
      desc = selectManifest(nested.manifests, hostPlatform(), desc.digest);
    }
    if (!MANIFEST_TYPES.includes(desc.mediaType)) continue;
    const body = readLayoutBlob(desc.digest);
    const manifest = parseManifest(body, desc.digest);
    for (const d of [manifest.config, ...manifest.layers]) await importBlob(d.digest);
    const name = nameOf(top);
    out.push(await registerImage(store, { body, mediaType: desc.mediaType }, name ? [name] : []));
  }
  if (out.length === 0) throw new ImageError('ARCHIVE_INVALID', `${dir} holds no image manifest`, dir);
  return out;
}

/** Tar entries of an OCI layout holding `images` (names become ref.name annotations). */
export async function* ociLayoutEntries(store: Store, images: { image: ImageRecord; names: string[] }[]): AsyncGenerator<TarEntry> {
  yield { header: { name: 'oci-layout', type: 'file', mode: 0o644, size: LAYOUT.length }, body: LAYOUT };
  yield { header: { name: 'blobs/', type: 'directory', mode: 0o755 } };
  yield { header: { name: 'blobs/sha256/', type: 'directory', mode: 0o755 } };
  const index: ImageIndex = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] };
  const written = new Set<string>();
  for (const { image, names } of images) {
    const manifest = parseManifest(image.manifest, image.id);
    for (const d of [manifest.config, ...manifest.layers]) {
      if (written.has(d.digest)) continue;
      written.add(d.digest);
      const size = statSync(blobPath(store.paths, d.digest)).size;
      yield { header: { name: `blobs/sha256/${hexOf(d.digest)}`, type: 'file', mode: 0o644, size }, body: openBlob(store.paths, d.digest) };
    }
    if (!written.has(image.manifestDigest)) {
      written.add(image.manifestDigest);
      yield { header: { name: `blobs/sha256/${hexOf(image.manifestDigest)}`, type: 'file', mode: 0o644, size: image.manifest.length }, body: image.manifest };
    }
    const base: Descriptor = { mediaType: image.manifestMediaType, digest: image.manifestDigest, size: image.manifest.length };
    if (names.length === 0) index.manifests.push(base);
    for (const n of names) index.manifests.push({ ...base, annotations: { [REF_NAME]: n, [CONTAINERD_NAME]: n } });
  }
  const body = Buffer.from(JSON.stringify(index));
  yield { header: { name: 'index.json', type: 'file', mode: 0o644, size: body.length }, body };
}
