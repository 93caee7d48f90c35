// The images of an engine root, in the Docker Engine API's types. The registry client, archives and
// layer code load on first use: listing or inspecting never pays for pulling.
import type { ImageDeleteResponseItem, ImageHistoryResponseItem, ImageInspect, ImagePruneResponse, ImageSummary } from '../api-types.js';
import type { Engine } from '../engine.js';
import { imageUsage } from '../image-usage.js';
import { ImageError } from '../../image/errors.js';
import type { ProgressEvent } from '../../image/progress.js';

export type { ProgressEvent } from '../../image/progress.js';
export const SAVE_FORMATS = ['docker-archive', 'oci-archive', 'oci-dir'] as const;
export type SaveFormat = (typeof SAVE_FORMATS)[number];

export interface RegistryOptions {
  /** false: plain HTTP or an unverified certificate (podman's --tls-verify=false) */
  tlsVerify?: boolean;
  onProgress?: (e: ProgressEvent) => void;
}

export interface PullResult {
  Id: string;
  RepoDigests: string[];
}

export class Images {
  constructor(private readonly engine: () => Engine) {}

  /** Whether the store has the image (a name, an id or a unique id prefix). */
  exists(ref: string): boolean {
    return this.store.images.findId(ref) !== undefined;
  }

  private get store() {
    return this.engine().images;
  }

  async list(opts: { reference?: string; dangling?: boolean } = {}): Promise<ImageSummary[]> {
    const { list } = await import('../../image/list.js');
    return list(this.store, opts).map((i) => ({ ...i, ParentId: '', SharedSize: -1 }));
  }

  async inspect(ref: string): Promise<ImageInspect> {
    const { inspectImage } = await import('../../image/summary.js');
    return inspectImage(this.store.paths, this.store.images.resolve(ref)) as unknown as ImageInspect;
  }

  async history(ref: string): Promise<ImageHistoryResponseItem[]> {
    const { imageHistory } = await import('../../image/summary.js');
    return imageHistory(this.store.images.resolve(ref));
  }

  async tag(source: string, target: string): Promise<void> {
    const { tag } = await import('../../image/tag.js');
    tag(this.store, source, target);
  }

  async remove(ref: string, opts: { force?: boolean } = {}): Promise<ImageDeleteResponseItem[]> {
    const { removeImage } = await import('../../image/remove.js');
    return removeImage(this.store, ref, { force: opts.force ?? false, isImageInUse: imageUsage(this.engine()) });
  }

  /** Removes dangling images (with `all`, every image no container uses). */
  async prune(opts: { all?: boolean } = {}): Promise<ImagePruneResponse> {
    const { prune } = await import('../../image/remove.js');
    return prune(this.store, { all: opts.all ?? false, isImageInUse: imageUsage(this.engine()) });
  }

  async pull(reference: string, opts: RegistryOptions & { platform?: string } = {}): Promise<PullResult> {
    const { pull } = await import('../../image/pull.js');
    const image = await pull(this.store, reference, opts);
    return { Id: image.id, RepoDigests: image.repoDigests };
  }

  async push(reference: string, opts: RegistryOptions = {}): Promise<{ reference: string; digest: string; size: number }> {
    const { push } = await import('../../image/push.js');
    return push(this.store, reference, opts);
  }

  /** Checks the credentials against the registry, then keeps them (ROOT/auth.json, or $REGISTRY_AUTH_FILE). */
  async login(server: string, credentials: { username: string; password: string }, opts: { tlsVerify?: boolean } = {}): Promise<void> {
    const [{ RegistryClient }, { saveCredentials }, { storePaths }] = await Promise.all([import('../../image/registry/client.js'), import('../../image/registry/credentials.js'), import('../../image/store/paths.js')]);
    await new RegistryClient(server, { credentials, ...(opts.tlsVerify !== undefined ? { tlsVerify: opts.tlsVerify } : {}) }).ping();
    saveCredentials(storePaths(this.engine().root).authFile, server, credentials);
  }

  /** Forgets the credentials kept for `server`; false when there were none. */
  async logout(server: string): Promise<boolean> {
    const [{ removeCredentials }, { storePaths }] = await Promise.all([import('../../image/registry/credentials.js'), import('../../image/store/paths.js')]);
    return removeCredentials(storePaths(this.engine().root).authFile, server);
  }

  /** Images from a docker-archive or oci-archive (a file, a directory, or a stream). */
  async load(source: { path: string } | { stream: NodeJS.ReadableStream; name: string }): Promise<{ Id: string; RepoTags: string[] }[]> {
    const { load } = await import('../../image/load.js');
    const images = await load(this.store, source as Parameters<typeof load>[1]);
    return images.map((i) => ({ Id: i.id, RepoTags: i.names }));
  }

  async save(refs: string[], target: { stream: NodeJS.WritableStream } | { dir: string }, format: SaveFormat = 'docker-archive'): Promise<void> {
    const { save } = await import('../../image/save.js');
    await save(this.store, refs, target, format);
  }

  /** A root file system tar as a one-layer image. */
  async import(input: NodeJS.ReadableStream, opts: { reference?: string; changes?: string[]; message?: string; platform?: string; source?: string } = {}): Promise<{ Id: string }> {
    const { importRootfs } = await import('../../image/import.js');
    const image = await importRootfs(this.store, input as Parameters<typeof importRootfs>[1], opts);
    return { Id: image.id };
  }
}

/** docker's "No such image" error, for front ends that look an image up by name first. */
export function noSuchImage(name: string): ImageError {
  return new ImageError('IMAGE_NOT_FOUND', `No such image: ${name}`, name);
}
