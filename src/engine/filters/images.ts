// `images --filter` with docker's 6 filters over docker-shaped image summaries: dangling, label,
// before, since, reference (Go path.Match globs on familiar names; the listed tags narrow to the
// matching ones) and until.
import { booleanValue, type FilterArgs, InvalidFilterError, matchesLabels, validateKeys } from './filter-args.js';
import { globMatch } from './glob.js';
import { parseFilterTime } from './time-value.js';

export const IMAGE_FILTERS = ['before', 'dangling', 'label', 'reference', 'since', 'until'] as const;

export interface ImageFacts {
  Id: string;
  /** familiar names: `busybox:latest`, `example.com/app:1` */
  RepoTags: readonly string[];
  RepoDigests: readonly string[];
  /** unix seconds */
  Created: number;
  Labels: Readonly<Record<string, string>>;
}

export interface ImageFilterLookups {
  /** an image by reference or id; throws the store's not-found error */
  image(reference: string): ImageFacts;
  nowMs: number;
}

/** docker's FamiliarMatch: the pattern against `name:tag`, then against the name alone. */
function referenceMatches(pattern: string, ref: string): boolean {
  if (globMatch(pattern, ref)) return true;
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref.replace(/:[^:/]+$/, '');
  return globMatch(pattern, name);
}

/** The images that pass, each with only the tags a reference filter matched. */
export function filterImages<T extends ImageFacts>(images: readonly T[], args: FilterArgs, lookups: ImageFilterLookups): T[] {
  validateKeys(args, IMAGE_FILTERS);
  const dangling = booleanValue(args, 'dangling');
  const labels = args.get('label');
  const references = args.get('reference');
  // several before values: the earliest bound wins; several since values: the latest
  const before = args.get('before')?.map((r) => lookups.image(r).Created);
  const since = args.get('since')?.map((r) => lookups.image(r).Created);
  const until = args.get('until')?.map((v) => {
    const t = parseFilterTime(v, lookups.nowMs);
    if (t === undefined) throw new InvalidFilterError('until', v);
    return t / 1000;
  });
  const beforeBound = before && Math.min(...before);
  const sinceBound = since && Math.max(...since);
  const untilBound = until && Math.max(...until);

  const out: T[] = [];
  for (const img of images) {
    if (dangling !== undefined && (img.RepoTags.length === 0) !== dangling) continue;
    if (labels && !matchesLabels(labels, img.Labels)) continue;
    if (beforeBound !== undefined && !(img.Created < beforeBound)) continue;
    if (sinceBound !== undefined && !(img.Created > sinceBound)) continue;
    if (untilBound !== undefined && !(img.Created < untilBound)) continue;
    if (references) {
      const tags = img.RepoTags.filter((t) => references.some((p) => referenceMatches(p, t)));
      const digests = img.RepoDigests.filter((d) => references.some((p) => referenceMatches(p, d)));
      if (tags.length === 0 && digests.length === 0) continue;
      out.push({ ...img, RepoTags: tags, RepoDigests: digests });
      continue;
    }
    out.push(img);
  }
  return out;
}
