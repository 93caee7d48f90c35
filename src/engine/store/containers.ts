// The containers table: insert with a unique generated or given name in one transaction, find by
// name or unique id prefix, update fields, remove.
import type { StateDb } from '../../state/db.js';
import type { ContainerRecord, ContainerState } from '../config/types.js';
import { EngineError } from '../errors.js';
import { generateName, newContainerId, VALID_NAME } from '../names.js';

interface Row {
  id: string;
  name: string;
  image: string;
  image_id: string;
  config: string;
  host_config: string;
  mounts: string;
  labels: string;
  state: string;
  pid: number;
  supervisor_pid: number;
  exit_code: number;
  oom_killed: number;
  restart_count: number;
  stopped_by_user: number;
  network_settings: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function fromRow(r: Row): ContainerRecord {
  return {
    id: r.id,
    name: r.name,
    image: r.image,
    imageId: r.image_id,
    config: JSON.parse(r.config),
    hostConfig: JSON.parse(r.host_config),
    mounts: JSON.parse(r.mounts),
    state: r.state as ContainerState,
    pid: r.pid,
    supervisorPid: r.supervisor_pid,
    exitCode: r.exit_code,
    oomKilled: r.oom_killed !== 0,
    restartCount: r.restart_count,
    stoppedByUser: r.stopped_by_user !== 0,
    networkSettings: r.network_settings ? JSON.parse(r.network_settings) : null,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export type NewContainer = Omit<ContainerRecord, 'id' | 'name' | 'state' | 'pid' | 'supervisorPid' | 'exitCode' | 'oomKilled' | 'restartCount' | 'stoppedByUser' | 'networkSettings' | 'createdAt' | 'startedAt' | 'finishedAt'> & {
  name?: string;
  /** chosen by the caller when it must hold the container's lock before the row exists */
  id?: string;
};

/** Fields `update` may change; JSON fields are serialised here. */
export type ContainerUpdate = Partial<Pick<ContainerRecord, 'state' | 'pid' | 'supervisorPid' | 'exitCode' | 'oomKilled' | 'restartCount' | 'stoppedByUser' | 'networkSettings' | 'startedAt' | 'finishedAt' | 'name' | 'mounts'>>;

const COLUMNS: Record<keyof ContainerUpdate, [string, (v: never) => unknown]> = {
  state: ['state', (v: string) => v],
  pid: ['pid', (v: number) => v],
  supervisorPid: ['supervisor_pid', (v: number) => v],
  exitCode: ['exit_code', (v: number) => v],
  oomKilled: ['oom_killed', (v: boolean) => (v ? 1 : 0)],
  restartCount: ['restart_count', (v: number) => v],
  stoppedByUser: ['stopped_by_user', (v: boolean) => (v ? 1 : 0)],
  networkSettings: ['network_settings', (v: object | null) => (v ? JSON.stringify(v) : null)],
  startedAt: ['started_at', (v: string | null) => v],
  finishedAt: ['finished_at', (v: string | null) => v],
  name: ['name', (v: string) => v],
  mounts: ['mounts', (v: object) => JSON.stringify(v)],
};

const NAME_ATTEMPTS = 20;

export class ContainerStore {
  constructor(readonly db: StateDb) {}

  insert(c: NewContainer): ContainerRecord {
    const sql = this.db.sql;
    if (c.name !== undefined && !VALID_NAME.test(c.name)) {
      throw new EngineError('INVALID_NAME', `Invalid container name (${c.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, c.name);
    }
    return this.db.transaction(() => {
      let name = c.name?.replace(/^\//, '');
      if (name !== undefined) {
        const other = sql.prepare('SELECT id FROM containers WHERE name = ?').get(name) as { id: string } | undefined;
        if (other) throw new EngineError('NAME_IN_USE', `Conflict. The container name "/${name}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name.`, name);
      } else {
        for (let i = 0; i < NAME_ATTEMPTS && name === undefined; i++) {
          const candidate = generateName(i);
          if (!sql.prepare('SELECT 1 FROM containers WHERE name = ?').get(candidate)) name = candidate;
        }
        if (name === undefined) throw new EngineError('NAME_IN_USE', 'could not generate a free container name', '');
      }
      const id = c.id ?? newContainerId();
      const createdAt = new Date().toISOString();
      sql
        .prepare(
          `INSERT INTO containers (id, name, image, image_id, config, host_config, mounts, labels, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)`,
        )
        .run(id, name, c.image, c.imageId, JSON.stringify(c.config), JSON.stringify(c.hostConfig), JSON.stringify(c.mounts), JSON.stringify(c.config.Labels), createdAt);
      return this.get(id);
    });
  }

  get(id: string): ContainerRecord {
    const row = this.db.sql.prepare('SELECT * FROM containers WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new EngineError('NO_SUCH_CONTAINER', `No such container: ${id}`, id);
    return fromRow(row);
  }

  find(id: string): ContainerRecord | undefined {
    const row = this.db.sql.prepare('SELECT * FROM containers WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** A full id, a name (with or without its leading slash), or a unique id prefix. */
  resolve(ref: string): ContainerRecord {
    const sql = this.db.sql;
    const byName = sql.prepare('SELECT * FROM containers WHERE id = ? OR name = ?').get(ref, ref.replace(/^\//, '')) as Row | undefined;
    if (byName) return fromRow(byName);
    if (/^[0-9a-f]{1,64}$/.test(ref)) {
      const rows = sql.prepare("SELECT * FROM containers WHERE id LIKE ? || '%' LIMIT 2").all(ref) as Row[];
      if (rows.length > 1) throw new EngineError('AMBIGUOUS_ID', `Error: multiple IDs found with provided prefix: ${ref}`, ref);
      if (rows[0]) return fromRow(rows[0]);
    }
    throw new EngineError('NO_SUCH_CONTAINER', `No such container: ${ref}`, ref);
  }

  /** Like resolve, but undefined when nothing (or more than one container) matches. */
  tryResolve(ref: string): ContainerRecord | undefined {
    try {
      return this.resolve(ref);
    } catch {
      return undefined;
    }
  }

  /** Newest first, as `ps` lists them. */
  list(): ContainerRecord[] {
    return (this.db.sql.prepare('SELECT * FROM containers ORDER BY created_at DESC, rowid DESC').all() as Row[]).map(fromRow);
  }

  update(id: string, fields: ContainerUpdate): void {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as [keyof ContainerUpdate, never][];
    if (!entries.length) return;
    const sets = entries.map(([k]) => `${COLUMNS[k][0]} = ?`).join(', ');
    this.db.sql.prepare(`UPDATE containers SET ${sets} WHERE id = ?`).run(...entries.map(([k, v]) => COLUMNS[k][1](v)), id);
  }

  rename(id: string, name: string): void {
    if (!VALID_NAME.test(name)) throw new EngineError('INVALID_NAME', `Invalid container name (${name})`, name);
    this.db.transaction(() => {
      const other = this.db.sql.prepare('SELECT id FROM containers WHERE name = ?').get(name) as { id: string } | undefined;
      if (other && other.id !== id) throw new EngineError('NAME_IN_USE', `Conflict. The container name "/${name}" is already in use by container "${other.id}".`, name);
      this.update(id, { name });
    });
  }

  remove(id: string): void {
    this.db.sql.prepare('DELETE FROM containers WHERE id = ?').run(id);
  }

  /** Containers that use the named volume. */
  usingVolume(name: string): string[] {
    return this.list().filter((c) => c.mounts.some((m) => m.Type === 'volume' && m.Name === name)).map((c) => c.id);
  }
}
