// When the root's filesystem is full, SQLite cannot open the WAL database at all: the shared-memory
// index it needs next to the database takes pages on that filesystem. Read-only commands (ps,
// images, inspect, logs) must still work then, so they read a snapshot instead: the database and
// its WAL copied to a filesystem with room (/dev/shm, else the temp dir), folded into one file and
// opened read-only. The copy is unlinked at once (the open connection keeps it); any write through
// it fails with a message saying why, and nothing is written to the full filesystem.
import type Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StateError } from './errors.js';
import { openSqlite } from './sqlite.js';

/** Below this much free space, a failure to open the database is taken for a full disk. */
const FULL_BELOW_BYTES = 1 << 20;

export function noSpaceLeft(path: string): boolean {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize < FULL_BELOW_BYTES;
  } catch {
    return false;
  }
}

export function fullDiskError(path: string, cause?: unknown): StateError {
  return new StateError('DB_FULL', `cannot write the state database ${path}: no space left on device (free space on its filesystem, then retry)`, path, { cause });
}

export function openSnapshot(path: string): Database.Database {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'vessel-db-'));
  try {
    const copy = join(dir, 'state.db');
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) copyFileSync(`${path}-wal`, `${copy}-wal`);
    // replays the WAL into the copy, so that the read-only connection needs no WAL index
    const folding = openSqlite(copy);
    folding.pragma('journal_mode = DELETE');
    folding.close();
    const sql = openSqlite(copy, { readonly: true, fileMustExist: true });
    refuseWrites(sql, path);
    return sql;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every statement that would write throws the full-disk error instead of SQLite's "readonly". */
function refuseWrites(sql: Database.Database, path: string): void {
  const prepare = sql.prepare.bind(sql);
  sql.prepare = ((source: string) => {
    const statement = prepare(source);
    if (!statement.reader) {
      statement.run = () => {
        throw fullDiskError(path);
      };
    }
    return statement;
  }) as typeof sql.prepare;
  sql.exec = () => {
    throw fullDiskError(path);
  };
}
