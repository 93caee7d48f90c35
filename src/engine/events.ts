// `events`: the event log read back with docker's --since/--until/--filter, and followed by polling.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from './engine.js';
import { EngineError } from './errors.js';
import { readEvents, type EngineEvent } from './store/events.js';

export interface EventQuery {
  sinceMs?: number;
  untilMs?: number;
  /** docker's filters: type=, event= (or action=), container=, volume=, image=, network=, label=… */
  filters: string[];
}

type EventTest = (e: EngineEvent) => boolean;

const actorTest = (type: EngineEvent['type']) => (v: string): EventTest => (e) => e.type === type && (e.actorId.startsWith(v) || e.attributes.name === v);

const FILTERS: Record<string, (value: string) => EventTest> = {
  type: (v) => (e) => e.type === v,
  event: (v) => (e) => e.action === v || e.action.startsWith(`${v}:`),
  action: (v) => (e) => e.action === v || e.action.startsWith(`${v}:`),
  container: actorTest('container'),
  volume: actorTest('volume'),
  network: actorTest('network'),
  image: (v) => (e) => e.attributes.image === v || (e.type === 'image' && e.actorId.startsWith(v)),
  label: (v) => (e) => {
    const [k, val] = v.split('=', 2) as [string, string | undefined];
    return k in e.attributes && (val === undefined || e.attributes[k] === val);
  },
};

/** Same key: any value matches; different keys: all must (docker's rule). */
function compileFilters(filters: string[]): EventTest {
  const byKey = new Map<string, EventTest[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    const make = FILTERS[f.slice(0, eq)];
    if (eq < 0 || !make) throw new EngineError('INVALID_OPTION', `invalid filter '${f}'`, f);
    const key = f.slice(0, eq) === 'action' ? 'event' : f.slice(0, eq);
    byKey.set(key, [...(byKey.get(key) ?? []), make(f.slice(eq + 1))]);
  }
  const groups = [...byKey.values()];
  return (e) => groups.every((g) => g.some((t) => t(e)));
}

/** docker's time values: RFC 3339 (or a date), unix seconds (with fraction), or a duration ago (10m, 1h30m). */
export function parseEventTime(value: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length && parts.map((p) => p[0]).join('') === value) return now - parts.reduce((t, p) => t + Number(p[1]) * units[p[2]!]!, 0);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new EngineError('INVALID_OPTION', `invalid time "${value}"`, value);
  return t;
}

/** Events in the window, oldest first. */
export function queryEvents(engine: Engine, q: EventQuery, afterSeq = 0): EngineEvent[] {
  const match = compileFilters(q.filters);
  return readEvents(engine.images.db, afterSeq).filter((e) => (q.sinceMs === undefined || e.timeMs >= q.sinceMs) && (q.untilMs === undefined || e.timeMs <= q.untilMs) && match(e));
}

const POLL_MS = 200;

/**
 * Calls `onEvent` for past events in the window (none before now without --since), then for new
 * ones as they are appended until `signal` aborts or `untilMs` passes.
 */
export async function followEvents(engine: Engine, q: EventQuery, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<void> {
  const match = compileFilters(q.filters);
  const all = readEvents(engine.images.db);
  let last = all.at(-1)?.seq ?? 0;
  if (q.sinceMs !== undefined) for (const e of queryEvents(engine, q)) onEvent(e);
  while (!signal.aborted && (q.untilMs === undefined || Date.now() <= q.untilMs)) {
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
    for (const e of readEvents(engine.images.db, last)) {
      last = e.seq;
      if (match(e) && (q.untilMs === undefined || e.timeMs <= q.untilMs)) onEvent(e);
    }
  }
}
