// The engine hands over its StateDb; the network library works on the SQLite handle inside it.
import type { Database } from 'better-sqlite3';
import type { StateDb } from '../../state/db.js';

export type EngineDb = Database | StateDb;

export function sqlOf(db: EngineDb): Database {
  return 'sql' in db ? db.sql : db;
}
