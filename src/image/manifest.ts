// Image manifests, indexes and configs: docker schema2 and OCI, with the media types both use.
import { createHash } from 'node:crypto';
import { ImageError } from './errors.js';

export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

export const MANIFEST_TYPES: readonly string[] = [MediaType.dockerManifest, MediaType.ociManifest];
export const INDEX_TYPES: readonly string[] = [MediaType.dockerManifestList, MediaType.ociIndex];
export const ACCEPT_ALL = [...MANIFEST_TYPES, ...INDEX_TYPES].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  [k: string]: unknown;
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
  [k: string]: unknown;
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function digestHex(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** The media type a manifest declares, or the one its shape implies. */
export function manifestMediaType(body: Buffer, headerType?: string): string {
  const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: string; manifests?: unknown; config?: unknown };
  if (parsed.mediaType) return parsed.mediaType;
  if (headerType && (MANIFEST_TYPES.includes(headerType) || INDEX_TYPES.includes(headerType))) return headerType;
  return parsed.manifests ? MediaType.ociIndex : MediaType.ociManifest;
}

export function parseManifest(body: Buffer, subject: string): ImageManifest {
  const m = JSON.parse(body.toString('utf8')) as ImageManifest;
  if (m.schemaVersion !== 2 || !m.config?.digest || !Array.isArray(m.layers)) {
    throw new ImageError('MANIFEST_UNSUPPORTED', `unsupported manifest for ${subject} (only schema 2 / OCI)`, subject);
  }
  return m;
}

export function parseIndex(body: Buffer, subject: string): ImageIndex {
  const m = JSON.parse(body.toString('utf8')) as ImageIndex;
  if (m.schemaVersion !== 2 || !Array.isArray(m.manifests)) {
    throw new ImageError('MANIFEST_UNSUPPORTED', `unsupported image index for ${subject}`, subject);
  }
  return m;
}

export function parseConfig(body: Buffer, subject: string): ImageConfig {
  const c = JSON.parse(body.toString('utf8')) as ImageConfig;
  if (!c.rootfs || !Array.isArray(c.rootfs.diff_ids)) {
    throw new ImageError('MANIFEST_UNSUPPORTED', `image config of ${subject} has no rootfs.diff_ids`, subject);
  }
  return c;
}

/** chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)) */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : sha256Digest(`${out[out.length - 1]} ${d}`));
  return out;
}
