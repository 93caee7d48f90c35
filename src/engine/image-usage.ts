// Which containers use an image: the image commands refuse to remove an image in use (docker's rule).
import type { ImageUsage } from '../image/remove.js';
import type { Engine } from './engine.js';

export function imageUsage(engine: Engine): ImageUsage {
  const byImage = new Map<string, string[]>();
  for (const c of engine.containers.list()) byImage.set(c.imageId, [...(byImage.get(c.imageId) ?? []), c.id]);
  return (imageId) => byImage.get(imageId) ?? [];
}
