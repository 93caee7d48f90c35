// `images`: every stored image, newest first, optionally only those a reference names.
import { parseReference, repositoryName } from './reference.js';
import type { Store } from './store/index.js';
import { summarize, type ImageSummary } from './summary.js';

export interface ListOptions {
  /** `busybox` (any tag) or `busybox:1.36` */
  reference?: string;
  /** only images no name points at */
  dangling?: boolean;
}

export function list(store: Store, opts: ListOptions = {}): ImageSummary[] {
  let images = store.images.list();
  if (opts.reference) {
    const ref = parseReference(opts.reference, { defaultTag: false });
    const repo = repositoryName(ref);
    images = images.filter((i) =>
      i.names.some((n) => (ref.tag ? n === `${repo}:${ref.tag}` : n.startsWith(`${repo}:`))) ||
      (ref.digest !== undefined && i.repoDigests.includes(`${repo}@${ref.digest}`)),
    );
  }
  if (opts.dangling !== undefined) images = images.filter((i) => (i.names.length === 0) === opts.dangling);
  const summaries = images.map(summarize);
  if (!opts.reference) return summaries;
  // like docker, a reference filter also narrows each image's tags to the matching ones
  const ref = parseReference(opts.reference, { defaultTag: false });
  const matches = (t: string): boolean => {
    const r = parseReference(t);
    return repositoryName(r) === repositoryName(ref) && (ref.tag === undefined || r.tag === ref.tag);
  };
  return summaries.map((s) => ({ ...s, RepoTags: s.RepoTags.filter(matches) }));
}
