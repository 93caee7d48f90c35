// Docker-shaped views of stored images: the rows of `images` and the object of `image inspect`.
import type { HistoryEntry, ImageConfig } from './manifest.js';
import { familiarReference, parseReference } from './reference.js';
import type { ImageRecord } from './store/images.js';
import { layerDiffDir, type StorePaths } from './store/paths.js';

export interface ImageSummary {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  /** unix seconds, from the config's `created` */
  Created: number;
  Size: number;
  Labels: Record<string, string>;
  Containers: number;
}

export function imageConfig(image: ImageRecord): ImageConfig {
  return JSON.parse(image.config.toString('utf8')) as ImageConfig;
}

export function familiar(names: readonly string[]): string[] {
  return names.map((n) => familiarReference(parseReference(n)));
}

function createdSeconds(config: ImageConfig, image: ImageRecord): number {
  const t = config.created ? Date.parse(config.created) : NaN;
  return Math.floor((Number.isFinite(t) ? t : image.createdAt) / 1000);
}

export function summarize(image: ImageRecord): ImageSummary {
  const config = imageConfig(image);
  return {
    Id: image.id,
    RepoTags: familiar(image.names),
    RepoDigests: familiar(image.repoDigests),
    Created: createdSeconds(config, image),
    Size: image.size,
    Labels: config.config?.Labels ?? {},
    Containers: -1,
  };
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown>;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  GraphDriver: { Name: string; Data: Record<string, string> };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
  Descriptor: { mediaType: string; digest: string; size: number };
}

export function inspectImage(paths: StorePaths, image: ImageRecord): ImageInspect {
  const config = imageConfig(image);
  const dirs = image.layers.map((l) => layerDiffDir(paths, l.chainId)).reverse();
  const out: ImageInspect = {
    Id: image.id,
    RepoTags: familiar(image.names),
    RepoDigests: familiar(image.repoDigests),
    Parent: '',
    Comment: config.history?.at(-1)?.comment ?? '',
    Created: config.created ?? new Date(image.createdAt).toISOString(),
    DockerVersion: typeof config.docker_version === 'string' ? config.docker_version : '',
    Author: config.author ?? '',
    // docker's typed struct always has OnBuild (null when empty): templates may name it
    Config: { OnBuild: null, ...(config.config ?? {}) },
    Architecture: config.architecture,
    Os: config.os,
    Size: image.size,
    GraphDriver: {
      Name: 'overlay',
      Data: dirs.length > 1 ? { LowerDir: dirs.slice(1).join(':'), UpperDir: dirs[0]! } : { UpperDir: dirs[0] ?? '' },
    },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: new Date(image.createdAt).toISOString() },
    Descriptor: { mediaType: image.manifestMediaType, digest: image.manifestDigest, size: image.manifest.length },
  };
  if (config.variant) out.Variant = config.variant;
  return out;
}

export interface HistoryRow {
  Id: string;
  /** unix seconds */
  Created: number;
  CreatedBy: string;
  Size: number;
  Comment: string;
  Tags: string[];
}

/** Newest first, like docker: the image ID on the top entry, `<missing>` below it. */
export function imageHistory(image: ImageRecord): HistoryRow[] {
  const config = imageConfig(image);
  const history = config.history?.length
    ? config.history
    : image.layers.map((): HistoryEntry => ({ created: config.created, created_by: '' }));
  let layer = 0;
  const rows = history.map((h) => {
    const size = h.empty_layer ? 0 : (image.layers[layer++]?.size ?? 0);
    const t = h.created ? Date.parse(h.created) : NaN;
    return {
      Id: '<missing>',
      Created: Number.isFinite(t) ? Math.floor(t / 1000) : 0,
      CreatedBy: h.created_by ?? '',
      Size: size,
      Comment: h.comment ?? '',
      Tags: [] as string[],
    };
  });
  rows.reverse();
  if (rows[0]) {
    rows[0].Id = image.id;
    rows[0].Tags = familiar(image.names);
  }
  return rows;
}
