// `commit`: a container's overlay upper dir becomes one more layer on top of its image's layers,
// with the container's config (and any --change instructions) as the new image's config.
import { mkdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { applyChanges } from '../../image/changes.js';
import { packEntries, type TarEntry } from '../../image/layer/index.js';
import { treeEntries } from '../../image/layer/tree-entries.js';
import { MediaType, parseManifest, sha256Digest, type ContainerConfig as ImageRunConfig, type ImageConfig, type ImageManifest } from '../../image/manifest.js';
import { formatReference, parseReference } from '../../image/reference.js';
import { registerImage } from '../../image/register.js';
import { writeBlob, writeBlobBuffer } from '../../image/store/blobs.js';
import type { ImageRecord } from '../../image/store/images.js';
import type { ContainerConfig, ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { pauseContainer } from '../lifecycle/stop.js';
import { liveState } from '../lifecycle/status.js';
import { appendEvent } from '../store/events.js';
import { containerPaths } from '../paths.js';
import { isEngineMountStub } from './mount-stubs.js';

export interface CommitOptions {
  reference?: string;
  /** Dockerfile instructions: `CMD ["sh"]`, `ENV K=V`, … */
  changes?: string[];
  message?: string;
  author?: string;
  /** freeze a running container while its changes are read (docker's default) */
  pause?: boolean;
}

/** The parts of a container's config that an image carries. */
function runConfigOf(base: ImageRunConfig, c: ContainerConfig): ImageRunConfig {
  return {
    ...base,
    User: c.User,
    Env: c.Env,
    Cmd: c.Cmd,
    Entrypoint: c.Entrypoint,
    WorkingDir: c.WorkingDir,
    ...(c.ExposedPorts && Object.keys(c.ExposedPorts).length ? { ExposedPorts: c.ExposedPorts } : {}),
    ...(c.Volumes && Object.keys(c.Volumes).length ? { Volumes: c.Volumes } : {}),
    ...(Object.keys(c.Labels).length ? { Labels: c.Labels } : {}),
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
  };
}

/** The upper dir as a layer (whiteouts for deletions), as diffToLayer packs it, less the engine's mount stubs. */
function* upperDirEntries(upper: string): Generator<TarEntry> {
  for (const entry of treeEntries(upper, { overlayDiff: true })) if (!isEngineMountStub(entry.header.name)) yield entry;
}

async function packUpperDir(engine: Engine, upper: string): Promise<{ diffId: string; digest: string; size: number }> {
  mkdirSync(upper, { recursive: true });
  const tee = new PassThrough({ highWaterMark: 1 << 20 });
  const [packed, blob] = await Promise.all([packEntries(upperDirEntries(upper), tee, { compression: 'gzip' }), writeBlob(engine.images.paths, tee)]);
  return { diffId: packed.diffId, digest: blob.digest, size: blob.size };
}

/** A stopped container's changes as a layer blob in the content store (the builder's commit). */
export function packContainerChanges(engine: Engine, ref: string): Promise<{ diffId: string; digest: string; size: number }> {
  const rec = engine.containers.resolve(ref);
  return packUpperDir(engine, containerPaths(engine.root, rec.id).upper);
}

async function withPaused<T>(engine: Engine, rec: ContainerRecord, pause: boolean, fn: () => Promise<T>): Promise<T> {
  if (!pause || liveState(engine, rec).status !== 'running') return fn();
  await pauseContainer(engine, rec.id, true);
  try {
    return await fn();
  } finally {
    await pauseContainer(engine, rec.id, false);
  }
}

export async function commitContainer(engine: Engine, ref: string, opts: CommitOptions = {}): Promise<ImageRecord> {
  const rec = engine.containers.resolve(ref);
  const image = engine.images.images.get(rec.imageId);
  const baseConfig = JSON.parse(image.config.toString('utf8')) as ImageConfig;
  const baseManifest = parseManifest(image.manifest, image.manifestDigest);
  const layer = await withPaused(engine, rec, opts.pause ?? true, () => packUpperDir(engine, containerPaths(engine.root, rec.id).upper));

  const created = new Date().toISOString();
  const command = [...(rec.config.Entrypoint ?? []), ...(rec.config.Cmd ?? [])].join(' ');
  const config: ImageConfig = {
    ...baseConfig,
    created,
    ...(opts.author ? { author: opts.author } : {}),
    config: applyChanges(runConfigOf(baseConfig.config ?? {}, rec.config), opts.changes ?? []),
    rootfs: { type: 'layers', diff_ids: [...baseConfig.rootfs.diff_ids, layer.diffId] },
    history: [
      ...(baseConfig.history ?? []),
      { created, created_by: command, ...(opts.author ? { author: opts.author } : {}), ...(opts.message ? { comment: opts.message } : {}) },
    ],
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configBlob = await writeBlobBuffer(engine.images.paths, configBytes, sha256Digest(configBytes));
  const oci = image.manifestMediaType === MediaType.ociManifest;
  const manifestType = oci ? MediaType.ociManifest : MediaType.dockerManifest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: { mediaType: oci ? MediaType.ociConfig : MediaType.dockerConfig, digest: configBlob.digest, size: configBlob.size },
    layers: [...baseManifest.layers, { mediaType: oci ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip, digest: layer.digest, size: layer.size }],
  };
  const names = opts.reference ? [formatReference(parseReference(opts.reference))] : [];
  const committed = await registerImage(engine.images, { body: Buffer.from(JSON.stringify(manifest)), mediaType: manifestType }, names);
  appendEvent(engine.images.db, 'container', 'commit', rec.id, { name: rec.name, image: committed.id });
  return committed;
}
