// `tag`: give an image another name.
import { formatReference, parseReference } from './reference.js';
import type { Store } from './store/index.js';

export function tag(store: Store, source: string, target: string): void {
  const image = store.images.resolve(source);
  const ref = parseReference(target);
  delete ref.digest;
  store.images.tag(image.id, formatReference(ref));
}
