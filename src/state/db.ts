// The engine's SQLite database: WAL so readers never block the writer, a busy timeout so
// concurrent CLI processes queue instead of failing, and numbered migrations applied once.
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StateError } from './errors.js';
import { fullDiskError, noSpaceLeft, openSnapshot } from './snapshot.js';
import { openSqlite } from './sqlite.js';
import { migrations as engineMigrations } from './migrations/index.js';

export type Sql = Database.Database;

export interface Migration {
  /** Strictly increasing; never renumber or edit an applied migration, add a new one. */
  version: number;
  name: string;
  up: string | ((sql: Sql) => void);
}

export interface StateDb {
  readonly path: string;
  readonly sql: Sql;
  /**
   * Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE), so two processes never
   * both read and then fail to upgrade to a write lock; nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export const BUSY_TIMEOUT_MS = 10_000;

export function openStateDb(path: string, migrations: readonly Migration[] = engineMigrations): StateDb {
  let sql: Sql | undefined;
  let readOnly = false;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    sql = openSqlite(path, { timeout: BUSY_TIMEOUT_MS });
    sql.pragma('journal_mode = WAL');
    sql.pragma('synchronous = NORMAL');
    sql.pragma('foreign_keys = ON');
  } catch (cause) {
    sql?.close();
    if (!existsSync(path) || !noSpaceLeft(path)) throw new StateError('DB_OPEN', `cannot open state database ${path}: ${(cause as Error).message}`, path, { cause });
    sql = openSnapshot(path);
    readOnly = true;
  }
  const db = sql;
  const transaction = <T>(fn: () => T): T => {
    try {
      return db.transaction(fn).immediate();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_FULL' || readOnly) throw fullDiskError(path, e);
      throw e;
    }
  };
  migrate(db, path, migrations, transaction);
  return { path, sql: db, transaction, close: () => db.close() };
}

function migrate(sql: Sql, path: string, migrations: readonly Migration[], transaction: <T>(fn: () => T) => T): void {
  // nothing is written when nothing needs writing: a full disk must not keep readers out
  if (!sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get()) {
    sql.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  }
  const applied = new Set(
    (sql.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
  for (const m of pending) {
    try {
      transaction(() => {
        // another process may have applied it while we waited for the write lock
        if (sql.prepare('SELECT 1 FROM migrations WHERE version = ?').get(m.version)) return;
        if (typeof m.up === 'string') sql.exec(m.up);
        else m.up(sql);
        sql.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      });
    } catch (cause) {
      throw new StateError('DB_MIGRATION', `migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`, path, { cause });
    }
  }
}
