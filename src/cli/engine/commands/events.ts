import { followEvents, parseEventTime, queryEvents, type EventQuery } from '../../../engine/events.js';
import type { EngineEvent } from '../../../engine/store/events.js';
import { defineCommand } from '../command.js';
import { objectFormatter } from '../output/template.js';
import { engineOf } from './container-context.js';

/** docker's event message, as `--format json` and templates see it. */
function message(e: EngineEvent): Record<string, unknown> {
  return {
    status: e.action,
    id: e.actorId,
    ...(e.attributes.image ? { from: e.attributes.image } : {}),
    Type: e.type,
    Action: e.action,
    Actor: { ID: e.actorId, Attributes: e.attributes },
    scope: 'local',
    time: Math.floor(e.timeMs / 1000),
    timeNano: e.timeMs * 1_000_000,
  };
}

/** `2026-01-02T03:04:05.123000000Z container create ID (image=busybox, name=x)` */
function plain(e: EngineEvent): string {
  const time = new Date(e.timeMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  const attrs = Object.entries(e.attributes).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${time} ${e.type} ${e.action} ${e.actorId}${attrs ? ` (${attrs})` : ''}`;
}

export default defineCommand({
  usage: 'vessel events [OPTIONS]',
  description: 'Get real time events from the server',
  flags: {
    filter: { type: 'strings', short: 'f', description: 'Filter output based on conditions provided (type, event, container, image, volume, network, label)', valueName: 'filter' },
    format: { type: 'string', description: "Format output using a custom template: 'json' or a Go-style template", valueName: 'string' },
    since: { type: 'string', description: 'Show all events created since timestamp', valueName: 'string' },
    until: { type: 'string', description: 'Stream events until this timestamp', valueName: 'string' },
  },
  args: { max: 0 },
  async run(inv) {
    const { flags, io } = inv;
    const engine = engineOf(inv);
    const now = Date.now();
    const q: EventQuery = {
      filters: flags.filter,
      ...(flags.since !== undefined ? { sinceMs: parseEventTime(flags.since, now) } : {}),
      ...(flags.until !== undefined ? { untilMs: parseEventTime(flags.until, now) } : {}),
    };
    const formatted = objectFormatter(flags.format);
    const print = (e: EngineEvent) => io.out.write(formatted ? formatted(message(e)) : `${plain(e)}\n`);
    // a window that has already closed is printed at once
    if (q.untilMs !== undefined && q.untilMs <= now) {
      for (const e of queryEvents(engine, q)) print(e);
      return 0;
    }
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await followEvents(engine, q, print, abort.signal);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return 0;
  },
});
