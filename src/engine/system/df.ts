// `system df`: what images, containers, local volumes and the build cache take on disk.
import { dirname } from 'node:path';
import { unownedImageFiles } from '../../image/store/index.js';
import { treeSize } from '../disk-usage.js';
import type { Engine } from '../engine.js';
import { liveState } from '../lifecycle/status.js';
import { containerPaths } from '../paths.js';

export interface DiskUsageRow {
  Type: 'Images' | 'Containers' | 'Local Volumes' | 'Build Cache';
  TotalCount: number;
  Active: number;
  Size: number;
  Reclaimable: number;
}

export interface DiskUsage {
  rows: DiskUsageRow[];
  images: { id: string; names: string[]; size: number; containers: number; created: number }[];
  containers: { id: string; name: string; image: string; size: number; status: string; created: string }[];
  volumes: { name: string; links: number; size: number }[];
}

export function diskUsage(engine: Engine): DiskUsage {
  const containers = engine.containers.list().map((c) => ({
    id: c.id,
    name: c.name,
    image: c.image,
    imageId: c.imageId,
    size: treeSize(containerPaths(engine.root, c.id).upper),
    status: liveState(engine, c).status,
    created: c.createdAt,
  }));
  const images = engine.images.images.list().map((i) => ({
    id: i.id,
    names: i.names,
    size: i.size,
    containers: containers.filter((c) => c.imageId === i.id).length,
    created: i.createdAt,
  }));
  const volumes = engine.volumes.list().map((v) => ({ name: v.Name, links: engine.containers.usingVolume(v.Name).length, size: treeSize(dirname(v.Mountpoint)) }));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // what killed pulls left: image data nobody owns, which the next prune removes
  const unowned = sum(unownedImageFiles(engine.images).map(treeSize));
  const running = (s: string) => s === 'running' || s === 'paused' || s === 'restarting';
  return {
    rows: [
      { Type: 'Images', TotalCount: images.length, Active: images.filter((i) => i.containers > 0).length, Size: sum(images.map((i) => i.size)) + unowned, Reclaimable: sum(images.filter((i) => i.containers === 0).map((i) => i.size)) + unowned },
      { Type: 'Containers', TotalCount: containers.length, Active: containers.filter((c) => running(c.status)).length, Size: sum(containers.map((c) => c.size)), Reclaimable: sum(containers.filter((c) => !running(c.status)).map((c) => c.size)) },
      { Type: 'Local Volumes', TotalCount: volumes.length, Active: volumes.filter((v) => v.links > 0).length, Size: sum(volumes.map((v) => v.size)), Reclaimable: sum(volumes.filter((v) => v.links === 0).map((v) => v.size)) },
      // vessel has no builder yet: no build cache
      { Type: 'Build Cache', TotalCount: 0, Active: 0, Size: 0, Reclaimable: 0 },
    ],
    images,
    containers: containers.map(({ imageId: _unused, ...c }) => c),
    volumes,
  };
}
