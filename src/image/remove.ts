// `rmi` and `image prune`: untag, delete images nothing uses, and collect their layers and blobs.
import { ImageError } from './errors.js';
import { formatReference, parseReference, familiarReference } from './reference.js';
import { collectGarbage, type Store } from './store/index.js';
import type { ImageRecord } from './store/images.js';

/** Which containers use an image; the engine supplies it (no containers exist without it). */
export type ImageUsage = (imageId: string) => string[];

export const noImageUsage: ImageUsage = () => [];

export interface RemoveOptions {
  force?: boolean;
  isImageInUse?: ImageUsage;
}

export type RemoveEvent = { Untagged: string } | { Deleted: string };

function isIdReference(input: string, image: ImageRecord): boolean {
  const hex = input.replace(/^sha256:/, '');
  return /^[0-9a-f]+$/.test(hex) && image.id.startsWith(`sha256:${hex}`);
}

function nameFor(input: string): string | undefined {
  try {
    const ref = parseReference(input);
    return ref.digest ? undefined : formatReference(ref);
  } catch {
    return undefined;
  }
}

/** Removes one image reference, docker's way. */
export function removeImage(store: Store, input: string, opts: RemoveOptions = {}): RemoveEvent[] {
  const image = store.images.resolve(input);
  const users = (opts.isImageInUse ?? noImageUsage)(image.id);
  const events: RemoveEvent[] = [];
  const name = nameFor(input);
  const byName = name !== undefined && image.names.includes(name) && !isIdReference(input, image);
  if (byName && image.names.length > 1) {
    store.images.untag(name);
    return [{ Untagged: familiarReference(parseReference(name)) }];
  }
  if (!byName && image.names.length > 1 && !opts.force) {
    throw new ImageError(
      'IMAGE_IN_USE',
      `conflict: unable to delete ${input} (must be forced) - image is referenced in multiple repositories`,
      image.id,
    );
  }
  if (users.length > 0 && !opts.force) {
    throw new ImageError(
      'IMAGE_IN_USE',
      `conflict: unable to remove repository reference "${input}" (must force) - container ${users[0]!.slice(0, 12)} is using its referenced image ${image.id.slice(7, 19)}`,
      image.id,
    );
  }
  for (const n of image.names) events.push({ Untagged: familiarReference(parseReference(n)) });
  for (const d of image.repoDigests) events.push({ Untagged: familiarReference(parseReference(d)) });
  store.images.deleteImage(image.id);
  events.push({ Deleted: image.id });
  const gone = collectGarbage(store);
  for (const c of gone.layers) events.push({ Deleted: c });
  return events;
}

export interface PruneOptions {
  /** every image no container uses, not only dangling ones */
  all?: boolean;
  isImageInUse?: ImageUsage;
}

export interface PruneResult {
  ImagesDeleted: RemoveEvent[];
  SpaceReclaimed: number;
}

export function prune(store: Store, opts: PruneOptions = {}): PruneResult {
  const usage = opts.isImageInUse ?? noImageUsage;
  const candidates = opts.all ? store.images.list().map((i) => i.id) : store.images.danglingIds();
  const events: RemoveEvent[] = [];
  for (const id of candidates) {
    if (usage(id).length > 0) continue;
    const image = store.images.get(id);
    for (const n of image.names) events.push({ Untagged: familiarReference(parseReference(n)) });
    store.images.deleteImage(id);
    events.push({ Deleted: id });
  }
  const gone = collectGarbage(store);
  for (const c of gone.layers) events.push({ Deleted: c });
  return { ImagesDeleted: events, SpaceReclaimed: gone.reclaimed };
}
