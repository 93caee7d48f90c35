// The event log `vessel events` reads: appended by every lifecycle step.
import type { StateDb } from '../../state/db.js';

export interface EngineEvent {
  seq: number;
  timeMs: number;
  type: 'container' | 'volume' | 'image' | 'network';
  action: string;
  actorId: string;
  attributes: Record<string, string>;
}

interface Row {
  seq: number;
  time_ms: number;
  type: string;
  action: string;
  actor_id: string;
  attributes: string;
}

export function appendEvent(db: StateDb, type: EngineEvent['type'], action: string, actorId: string, attributes: Record<string, string> = {}): void {
  db.sql.prepare('INSERT INTO events (time_ms, type, action, actor_id, attributes) VALUES (?, ?, ?, ?, ?)').run(Date.now(), type, action, actorId, JSON.stringify(attributes));
}

/** Events after `afterSeq`, oldest first; only one actor's when `actorId` is given. */
export function readEvents(db: StateDb, afterSeq = 0, actorId?: string): EngineEvent[] {
  const rows = (
    actorId
      ? db.sql.prepare('SELECT * FROM events WHERE seq > ? AND actor_id = ? ORDER BY seq').all(afterSeq, actorId)
      : db.sql.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq').all(afterSeq)
  ) as Row[];
  return rows.map((r) => ({ seq: r.seq, timeMs: r.time_ms, type: r.type as EngineEvent['type'], action: r.action, actorId: r.actor_id, attributes: JSON.parse(r.attributes) }));
}
