// Named volumes: a row each, data in <root>/volumes/<name>/_data.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateDb } from '../../state/db.js';
import { EngineError } from '../errors.js';
import { volumeData } from '../paths.js';
import { randomBytes } from '../../sys/random.js';

export interface VolumeRecord {
  Name: string;
  Driver: string;
  Mountpoint: string;
  Labels: Record<string, string>;
  CreatedAt: string;
  Scope: 'local';
}

interface Row {
  name: string;
  driver: string;
  labels: string;
  created_at: string;
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export class VolumeStore {
  constructor(readonly db: StateDb, readonly root: string) {}

  private record(r: Row): VolumeRecord {
    return { Name: r.name, Driver: r.driver, Mountpoint: volumeData(this.root, r.name), Labels: JSON.parse(r.labels), CreatedAt: r.created_at, Scope: 'local' };
  }

  /** Creates the volume, or returns the existing one of that name (as docker does). */
  ensure(name: string | undefined, labels: Record<string, string> = {}): VolumeRecord {
    const volName = name ?? randomBytes(32).toString('hex');
    if (!VOLUME_NAME.test(volName)) throw new EngineError('INVALID_NAME', `invalid volume name "${volName}"`, volName);
    const rec = this.db.transaction(() => {
      const row = this.db.sql.prepare('SELECT * FROM volumes WHERE name = ?').get(volName) as Row | undefined;
      if (row) return this.record(row);
      const created = new Date().toISOString();
      this.db.sql.prepare("INSERT INTO volumes (name, driver, labels, created_at) VALUES (?, 'local', ?, ?)").run(volName, JSON.stringify(labels), created);
      return this.record({ name: volName, driver: 'local', labels: JSON.stringify(labels), created_at: created });
    });
    mkdirSync(rec.Mountpoint, { recursive: true, mode: 0o755 });
    return rec;
  }

  get(name: string): VolumeRecord {
    const row = this.db.sql.prepare('SELECT * FROM volumes WHERE name = ?').get(name) as Row | undefined;
    if (!row) throw new EngineError('NO_SUCH_VOLUME', `get ${name}: no such volume`, name);
    return this.record(row);
  }

  list(): VolumeRecord[] {
    return (this.db.sql.prepare('SELECT * FROM volumes ORDER BY name').all() as Row[]).map((r) => this.record(r));
  }

  /** Deletes the row and the data; the caller has checked no container uses it. */
  remove(name: string): void {
    const rec = this.get(name);
    this.db.sql.prepare('DELETE FROM volumes WHERE name = ?').run(name);
    rmSync(dirname(rec.Mountpoint), { recursive: true, force: true });
  }
}
