// The engine's event log: past events with docker's filters, and a live follow that ends when its
// signal aborts. Every vessel process on the root (CLI or server) appends to the same log.
import type { EventMessage } from '../api-types.js';
import type { Engine } from '../engine.js';
import type { EngineEvent } from '../store/events.js';

export type { EngineEvent } from '../store/events.js';

export interface EventsOptions {
  /** unix ms */
  since?: number;
  until?: number;
  /** docker's `key=value` filters: type, event, container, image, volume, network, label */
  filters?: string[];
}

/** An event as the Engine API's /events stream carries it. */
export function eventMessage(e: EngineEvent): EventMessage {
  const seconds = Math.floor(e.timeMs / 1000);
  return { Type: e.type, Action: e.action, Actor: { ID: e.actorId, Attributes: e.attributes }, scope: 'local', time: seconds, timeNano: e.timeMs * 1e6 };
}

export class Events {
  constructor(private readonly engine: () => Engine) {}

  /** docker's `--since`/`--until` values (RFC 3339, unix seconds, or a duration before now) as unix ms. */
  async parseTime(value: string): Promise<number> {
    const { parseEventTime } = await import('../events.js');
    return parseEventTime(value);
  }

  async list(opts: EventsOptions = {}): Promise<EngineEvent[]> {
    const { queryEvents } = await import('../events.js');
    return queryEvents(this.engine(), query(opts));
  }

  /** Calls `onEvent` for each new event (after `since`'s, if given) until `signal` aborts or `until` passes. */
  async follow(opts: EventsOptions, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<void> {
    const { followEvents } = await import('../events.js');
    await followEvents(this.engine(), query(opts), onEvent, signal);
  }
}

function query(opts: EventsOptions) {
  return { filters: opts.filters ?? [], ...(opts.since !== undefined ? { sinceMs: opts.since } : {}), ...(opts.until !== undefined ? { untilMs: opts.until } : {}) };
}
