// Reads the supervisor's json-file log (and its one rotated predecessor, `<log>.1`) the way
// `docker logs` does: --tail, --since, --until, --timestamps, and --follow across rotations.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SupervisorError } from './errors.js';
import type { OutputStream } from './protocol.js';

export interface LogEntry {
  stream: OutputStream;
  /** The text as the container wrote it, with its newline (a partial line has none). */
  line: string;
  /** RFC 3339 with nanoseconds, UTC. */
  time: string;
}

export interface ReadLogsOptions {
  follow?: boolean;
  /** Only the last N entries of what is already there (then new ones when following). */
  tail?: number;
  /** Entries at or after this time (a Date, or RFC 3339 text with up to nanoseconds). */
  since?: Date | string;
  /** Entries at or before this time; following stops at the first later entry. */
  until?: Date | string;
  /** Prefix each line with its time and a space, as `docker logs -t` prints it. */
  timestamps?: boolean;
  /** While following: once this returns true (say, the exit file exists) the rest is read and the iteration ends. */
  stopWhen?: () => boolean;
  signal?: AbortSignal;
  /** How often following looks for new entries and rotation. */
  pollMs?: number;
}

const TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch, so nanosecond timestamps compare exactly. */
export function timeToNanos(t: Date | string, path = ''): bigint {
  if (t instanceof Date) return BigInt(t.getTime()) * 1_000_000n;
  const m = TIME.exec(t);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new SupervisorError('LOG_BAD_TIME', path, `not an RFC 3339 time: ${t}`);
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

interface OpenLog {
  fh: FileHandle;
  ino: number;
  pos: number;
  rest: Buffer;
}

const CHUNK = 64 * 1024;

async function openLog(path: string): Promise<OpenLog | undefined> {
  try {
    const fh = await open(path, 'r');
    return { fh, ino: (await fh.stat()).ino, pos: 0, rest: Buffer.alloc(0) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SupervisorError('LOG_UNREADABLE', path, 'cannot open the log', { cause: err });
  }
}

function parseEntry(text: string): LogEntry | undefined {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (typeof o.log !== 'string' || typeof o.time !== 'string' || (o.stream !== 'stdout' && o.stream !== 'stderr')) return undefined;
    return { stream: o.stream, line: o.log, time: o.time };
  } catch {
    return undefined; // a line cut short (the disk filled up): docker skips those too
  }
}

/** Complete entries written since the last call; an unfinished last line waits for its end. */
async function readNew(log: OpenLog, path: string): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    let n: number;
    try {
      ({ bytesRead: n } = await log.fh.read(buf, 0, CHUNK, log.pos));
    } catch (err) {
      throw new SupervisorError('LOG_UNREADABLE', path, 'cannot read the log', { cause: err });
    }
    if (n === 0) return entries;
    log.pos += n;
    let data = Buffer.concat([log.rest, buf.subarray(0, n)]);
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      const entry = parseEntry(data.subarray(0, nl).toString('utf8'));
      if (entry) entries.push(entry);
      data = data.subarray(nl + 1);
    }
    log.rest = Buffer.from(data);
  }
}

export async function* readLogs(path: string, opts: ReadLogsOptions = {}): AsyncGenerator<LogEntry> {
  const since = opts.since === undefined ? undefined : timeToNanos(opts.since, path);
  const until = opts.until === undefined ? undefined : timeToNanos(opts.until, path);
  const tail = opts.tail === undefined || opts.tail < 0 ? Infinity : opts.tail;
  const wanted = (e: LogEntry) => since === undefined || timeToNanos(e.time, path) >= since;
  const tooLate = (e: LogEntry) => until !== undefined && timeToNanos(e.time, path) > until;
  const shape = (e: LogEntry): LogEntry => (opts.timestamps ? { ...e, line: `${e.time} ${e.line}` } : e);

  const opened = new Set<OpenLog>();
  const track = (log: OpenLog | undefined) => (log && opened.add(log), log);
  const release = async (log: OpenLog | undefined) => {
    if (log && opened.delete(log)) await log.fh.close().catch(() => {});
  };
  try {
    // The current file first: opened the other way round, a rotation in between would hide one.
    let current = track(await openLog(path));
    const rotated = track(await openLog(`${path}.1`));
    const history: LogEntry[] = [];
    let pastUntil = false;
    for (const log of [rotated, current]) {
      if (!log || (log === rotated && log.ino === current?.ino)) continue;
      for (const e of await readNew(log, path)) {
        pastUntil ||= tooLate(e);
        if (pastUntil || !wanted(e)) continue;
        history.push(e);
        if (history.length > tail) history.shift();
      }
    }
    await release(rotated);
    for (const e of history) yield shape(e);
    if (!opts.follow || pastUntil) return;

    for (;;) {
      if (opts.signal?.aborted) return;
      const stopping = opts.stopWhen?.() ?? false;
      const batch: LogEntry[] = [];
      current ??= track(await openLog(path));
      if (current) batch.push(...(await readNew(current, path)));
      const now = await stat(path).catch(() => undefined);
      if (current && now && now.ino !== current.ino) {
        // rotated: finish the old file, and a second generation if it rotated twice meanwhile
        batch.push(...(await readNew(current, path)));
        const between = track(await openLog(`${path}.1`));
        if (between && between.ino !== current.ino) batch.push(...(await readNew(between, path)));
        await release(between);
        await release(current);
        current = track(await openLog(path));
        if (current) batch.push(...(await readNew(current, path)));
      }
      for (const e of batch) {
        if (tooLate(e)) return;
        if (wanted(e)) yield shape(e);
      }
      if (stopping) return;
      try {
        await sleep(opts.pollMs ?? 100, undefined, { signal: opts.signal });
      } catch {
        return; // aborted
      }
    }
  } finally {
    await Promise.all([...opened].map(release));
  }
}
