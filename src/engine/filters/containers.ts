// `ps --filter` with docker's 15 filters, over docker-shaped facts about each container. Values of
// one filter are alternatives; different filters must all hold (labels: every value must hold,
// as docker's MatchKVList does).
import { booleanValue, type FilterArgs, InvalidFilterError, matchesAny, matchesLabels, validateKeys } from './filter-args.js';

export const CONTAINER_FILTERS = ['ancestor', 'before', 'expose', 'exited', 'health', 'id', 'isolation', 'is-task', 'label', 'name', 'network', 'publish', 'since', 'status', 'volume'] as const;

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];
const ISOLATIONS = ['default', 'process', 'hyperv', ''];

/** What the filters look at: the fields of docker's container summary they need. */
export interface ContainerFacts {
  Id: string;
  /** the name without docker's leading `/` */
  Name: string;
  ImageID: string;
  State: string;
  ExitCode: number;
  /** whether it has ever started (docker's `exited` filter skips never-started containers) */
  Started: boolean;
  /** creation time, ms since the epoch */
  Created: number;
  Labels: Readonly<Record<string, string>>;
  /** exposed ports, with the host port where one is published */
  Ports: readonly { PrivatePort: number; PublicPort?: number; Type: string }[];
  Mounts: readonly { Name?: string; Source: string; Destination: string }[];
  /** network name -> its id */
  Networks: Readonly<Record<string, { NetworkID: string }>>;
  /** starting | healthy | unhealthy; undefined without a health check */
  Health?: string;
  Isolation?: string;
  IsTask?: boolean;
}

export interface ContainerFilterLookups {
  /** the ids of the image a reference names and of the images built on it */
  imageFamily(reference: string): ReadonlySet<string>;
  /** a container by name or id; throws the engine's not-found error */
  container(reference: string): ContainerFacts;
}

export interface ContainerFilter {
  /** docker lists stopped containers too when a status filter is given */
  includesStopped: boolean;
  matches(c: ContainerFacts): boolean;
}

/** `80`, `80/udp`, `8000-8080/tcp` -> the set `80/tcp`... */
function portSet(key: string, values: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const v of values) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(v);
    if (!m) throw new InvalidFilterError(key, v, 'invalid port');
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (from > to || to > 65535) throw new InvalidFilterError(key, v, 'invalid port range');
    for (let p = from; p <= to; p++) set.add(`${p}/${m[3] ?? 'tcp'}`);
  }
  return set;
}

export function containerFilter(args: FilterArgs, lookups: ContainerFilterLookups): ContainerFilter {
  validateKeys(args, CONTAINER_FILTERS);
  const get = (k: string) => args.get(k);
  for (const s of get('status') ?? []) if (!STATUSES.includes(s)) throw new InvalidFilterError('status', s);
  for (const h of get('health') ?? []) if (!HEALTH.includes(h)) throw new InvalidFilterError('health', h);
  for (const i of get('isolation') ?? []) if (!ISOLATIONS.includes(i)) throw new InvalidFilterError('isolation', i);
  const exited = (get('exited') ?? []).map((v) => {
    if (!/^-?\d+$/.test(v)) throw new InvalidFilterError('exited', v);
    return Number(v);
  });
  const isTask = booleanValue(args, 'is-task');
  const publish = get('publish') ? portSet('publish', get('publish')!) : undefined;
  const expose = get('expose') ? portSet('expose', get('expose')!) : undefined;
  const ancestors = get('ancestor') ? new Set(get('ancestor')!.flatMap((a) => [...lookups.imageFamily(a)])) : undefined;
  // several before/since values: docker keeps the last one it resolves
  const before = get('before')?.map((r) => lookups.container(r)).at(-1);
  const since = get('since')?.map((r) => lookups.container(r)).at(-1);
  const newer = (a: ContainerFacts, b: ContainerFacts) => a.Created > b.Created || (a.Created === b.Created && a.Id > b.Id);

  const checks: ((c: ContainerFacts) => boolean)[] = [];
  const add = (key: string, check: (c: ContainerFacts, values: readonly string[]) => boolean) => {
    const values = get(key);
    if (values) checks.push((c) => check(c, values));
  };
  add('id', (c, v) => matchesAny(v, c.Id));
  add('name', (c, v) => matchesAny(v, `/${c.Name}`));
  add('label', (c, v) => matchesLabels(v, c.Labels));
  add('status', (c, v) => v.includes(c.State));
  add('health', (c, v) => v.includes(c.Health ?? 'none'));
  add('isolation', (c, v) => v.includes(c.Isolation ?? 'default') || (c.Isolation === undefined && v.includes('')));
  add('volume', (c, v) => c.Mounts.some((m) => v.includes(m.Destination) || v.includes(m.Name || m.Source)));
  add('network', (c, v) => v.some((n) => Object.hasOwn(c.Networks, n) || Object.values(c.Networks).some((x) => x.NetworkID.startsWith(n))));
  if (exited.length) checks.push((c) => c.Started && c.State !== 'running' && c.State !== 'paused' && c.State !== 'restarting' && exited.includes(c.ExitCode));
  if (isTask !== undefined) checks.push((c) => (c.IsTask ?? false) === isTask);
  if (ancestors) checks.push((c) => ancestors.has(c.ImageID));
  if (before) checks.push((c) => newer(before, c));
  if (since) checks.push((c) => newer(c, since));
  // publish and expose are one check in docker: either kind of port may match
  if (publish || expose) {
    checks.push((c) => c.Ports.some((p) => (p.PublicPort !== undefined && publish?.has(`${p.PublicPort}/${p.Type}`)) || expose?.has(`${p.PrivatePort}/${p.Type}`)));
  }
  return { includesStopped: args.has('status'), matches: (c) => checks.every((check) => check(c)) };
}
