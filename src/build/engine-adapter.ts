// The builder's one door into the engine: every container a step runs in, every image it reads
// or records, goes through here. When the engine grows its typed facade (openVessel), this module
// is what changes; the rest of src/build/ sees only BuildEngine.
import { closeSync, existsSync, mkdirSync, rmSync, writeSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { emptyRequest } from '../engine/config/request.js';
import type { Engine } from '../engine/engine.js';
import { packContainerChanges } from '../engine/fs/commit.js';
import { copyFromContainer } from '../engine/fs/copy.js';
import { withContainerView } from '../engine/fs/view.js';
import { createContainer } from '../engine/lifecycle/create.js';
import { exitCodeAfterSession } from '../engine/lifecycle/exit-code.js';
import { removeContainer } from '../engine/lifecycle/remove.js';
import { startContainer } from '../engine/lifecycle/start.js';
import { containerPaths } from '../engine/paths.js';
import { readLogs } from '../engine/supervisor/logs.js';
import { supervisorAlive } from '../engine/lifecycle/status.js';
import { MediaType, sha256Digest, type ImageConfig, type ImageManifest } from '../image/manifest.js';
import { formatReference, parseReference } from '../image/reference.js';
import { registerImage } from '../image/register.js';
import { packEntries } from '../image/layer/index.js';
import { treeEntries } from '../image/layer/tree-entries.js';
import { hasBlob, stagingPath, writeBlob, writeBlobBuffer } from '../image/store/blobs.js';
import { pipe } from '../sys/pipe.js';

/** A layer as the builder tracks it: the blob in the content store and its uncompressed digest. */
export interface LayerRef {
  digest: string;
  size: number;
  mediaType: string;
  diffId: string;
}

export interface BaseImage {
  id: string;
  config: ImageConfig;
  layers: LayerRef[];
}

export interface StepContainer {
  /** an image id holding the step's parent layers */
  image: string;
  cmd: string[];
  env: string[];
  user: string;
  workdir: string;
  network: string;
  /** `--mount` values (type=bind|tmpfs) */
  mounts: string[];
  /** the build this container belongs to, so `builder prune` can find what a killed build left */
  buildLabel: string;
}

/** Marks the containers a build makes: value is `<pid>` of the building process. */
export const BUILD_CONTAINER_LABEL = 'io.vessel.build.pid';

export class BuildEngine {
  constructor(readonly engine: Engine) {}

  get root(): string {
    return this.engine.root;
  }

  /** A local image by name or id, or undefined. */
  findImage(ref: string): BaseImage | undefined {
    const id = this.engine.images.images.findId(ref);
    if (!id) return undefined;
    return this.imageById(id);
  }

  imageById(id: string): BaseImage | undefined {
    let rec;
    try {
      rec = this.engine.images.images.get(id);
    } catch {
      return undefined;
    }
    const config = JSON.parse(rec.config.toString('utf8')) as ImageConfig;
    return { id: rec.id, config, layers: rec.layers.map((l) => ({ digest: l.blobDigest, size: l.blobSize, mediaType: l.mediaType, diffId: l.diffId })) };
  }

  async pull(ref: string, platform?: string): Promise<BaseImage> {
    const { pull } = await import('../image/pull.js');
    const rec = await pull(this.engine.images, ref, platform ? { platform } : {});
    return this.imageById(rec.id)!;
  }

  hasLayer(layer: LayerRef): boolean {
    return hasBlob(this.engine.images.paths, layer.digest);
  }

  /** Records config + layers as an image (unnamed unless `names`), returning its id. */
  async register(config: ImageConfig, layers: LayerRef[], names: string[] = []): Promise<string> {
    const configBytes = Buffer.from(JSON.stringify(config));
    const configBlob = await writeBlobBuffer(this.engine.images.paths, configBytes, sha256Digest(configBytes));
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: MediaType.dockerConfig, digest: configBlob.digest, size: configBlob.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
    const refs = names.map((n) => formatReference(parseReference(n)));
    const rec = await registerImage(this.engine.images, { body: Buffer.from(JSON.stringify(manifest)), mediaType: MediaType.dockerManifest }, refs);
    return rec.id;
  }

  /** A container for a step, created but not started. */
  async create(spec: StepContainer): Promise<string> {
    const req = {
      ...emptyRequest(spec.image), cmd: spec.cmd, entrypoint: '', env: spec.env, user: spec.user, workdir: spec.workdir || '/',
      network: spec.network, mounts: spec.mounts, labels: [`${BUILD_CONTAINER_LABEL}=${spec.buildLabel}`],
    };
    const rec = await createContainer(this.engine, req);
    return rec.id;
  }

  /** Starts a created container with its output to `out`/`err`; resolves with its exit code once it ended.
   * The output is followed in the container's log rather than through the attach socket: a busy
   * machine may take longer to open the socket than an attach waits, and a build must not fail for it. */
  async run(id: string, out: Writable, err: Writable): Promise<number> {
    const [handoffRead, handoffWrite] = pipe();
    try {
      try {
        await startContainer(this.engine, id, { handoffFd: handoffRead });
      } finally {
        closeQuietly(handoffRead);
      }
      const paths = containerPaths(this.engine.root, id);
      const { supervisorPid } = this.engine.containers.resolve(id);
      // the supervisor writes the exit file once the process ended; a supervisor that died cannot
      const ended = () => existsSync(paths.exitFile) || !supervisorAlive(supervisorPid);
      for await (const entry of readLogs(paths.log, { follow: true, stopWhen: ended, pollMs: 20 })) {
        (entry.stream === 'stderr' ? err : out).write(entry.line);
      }
      return await exitCodeAfterSession(this.engine, id, () => sleep(10));
    } finally {
      try {
        writeSync(handoffWrite, 'd');
      } catch {
        // the supervisor is gone already
      }
      closeQuietly(handoffWrite);
    }
  }

  /** The container's changes as a layer blob. */
  async commit(id: string): Promise<LayerRef> {
    const packed = await packContainerChanges(this.engine, id);
    return { digest: packed.digest, size: packed.size, mediaType: MediaType.dockerLayerGzip, diffId: packed.diffId };
  }

  /** A layer made without a container: `fill` writes into an empty directory, which becomes the
   * layer as is (COPY onto scratch, COPY --link). */
  async layerFromDir(fill: (dir: string) => Promise<void>): Promise<LayerRef> {
    const dir = stagingPath(this.engine.images.paths, 'build-layer');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    try {
      await fill(dir);
      const tee = new PassThrough({ highWaterMark: 1 << 20 });
      const [packed, blob] = await Promise.all([packEntries(treeEntries(dir, { overlayDiff: false }), tee, { compression: 'gzip' }), writeBlob(this.engine.images.paths, tee)]);
      return { digest: blob.digest, size: blob.size, mediaType: MediaType.dockerLayerGzip, diffId: packed.diffId };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** `fn` with the container's writable root file system mounted (a stopped container). */
  withRootfs<T>(id: string, fn: (rootDir: string) => Promise<T>): Promise<T> {
    return withContainerView(this.engine, this.engine.containers.resolve(id), fn);
  }

  async remove(id: string): Promise<void> {
    await removeContainer(this.engine, id, { force: true, volumes: true });
  }

  /** Build containers whose building process is gone (a killed build), for `builder prune`. */
  orphanContainers(): string[] {
    return this.engine.containers
      .list()
      .filter((c) => {
        const pid = Number(c.config.Labels?.[BUILD_CONTAINER_LABEL]);
        return Number.isInteger(pid) && pid > 0 && !processAlive(pid);
      })
      .map((c) => c.id);
  }

  /** The image's file system written to a directory, or as a tar to a stream (`-o type=local|tar`). */
  async exportFs(imageId: string, dest: { dir: string } | { stream: NodeJS.WritableStream }): Promise<void> {
    const id = await this.create({ image: imageId, cmd: ['/bin/true'], env: [], user: '', workdir: '/', network: 'none', mounts: [], buildLabel: String(process.pid) });
    try {
      if ('dir' in dest) {
        mkdirSync(dest.dir, { recursive: true });
        await copyFromContainer(this.engine, id, '/.', { path: dest.dir }, { archive: true });
      } else {
        await copyFromContainer(this.engine, id, '/.', { stream: dest.stream }, { archive: true });
      }
    } finally {
      await this.remove(id);
    }
  }

  tag(id: string, name: string): void {
    this.engine.images.images.tag(id, formatReference(parseReference(name)));
  }

  /** Unnamed images no container uses, among `ids` (the build cache's), then the garbage they held. */
  async forgetImages(ids: string[]): Promise<{ images: number; reclaimed: number }> {
    const { collectGarbage } = await import('../image/store/index.js');
    const used = new Set(this.engine.containers.list().map((c) => c.imageId));
    let images = 0;
    for (const id of ids) {
      let rec;
      try {
        rec = this.engine.images.images.get(id);
      } catch {
        continue;
      }
      if (rec.names.length || used.has(id)) continue;
      this.engine.images.images.deleteImage(id);
      images++;
    }
    const gc = collectGarbage(this.engine.images);
    return { images, reclaimed: gc.reclaimed };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
