// An attach session: a container's live output relayed to the caller's streams, its stdin from
// the caller's, its terminal size, detach keys, signals, and the exit code once it ends. The CLI
// relays one to a terminal; an API server relays one to a hijacked HTTP connection. The session
// owns no terminal: raw mode and SIGWINCH belong to the front end.
import type { Readable, Transform, Writable } from 'node:stream';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { exitCodeAfterSession } from '../lifecycle/exit-code.js';
import { liveState } from '../lifecycle/status.js';
import { killContainer } from '../lifecycle/stop.js';
import { containerPaths } from '../paths.js';
import { backendOf } from '../runtime-backend/index.js';
import { attach, sizeWaitingTerminal } from '../supervisor/attach.js';
import { stream } from '../../sys/lazy.js';

/** docker's default detach sequence: Ctrl-P Ctrl-Q. */
export const DEFAULT_DETACH_KEYS = [0x10, 0x11];

export interface SessionStreams {
  /** what the container reads; without it, its stdin stays as it is */
  stdin?: Readable;
  /** read only when output arrives, so getters may build the streams lazily */
  stdout: Writable;
  stderr: Writable;
}

export interface AttachOptions {
  /** bytes that end the session and leave the container running (with a tty; docker's rule) */
  detachKeys?: number[];
  /** the client's terminal size: a container started by this session has it before its init runs */
  initialSize?: { rows: number; cols: number };
}

export interface ContainerSession {
  readonly id: string;
  /** the container has a terminal: all of its output comes on stdout, raw */
  readonly tty: boolean;
  resize(rows: number, cols: number): void;
  /** ends the session, leaving the container running */
  detach(): void;
  /** ends the container's stdin */
  closeStdin(): void;
  /** sends a signal to the container's init (for a front end that proxies its own signals) */
  signal(signal: NodeJS.Signals): void;
  /** `ended`: the container ended (false: detached) */
  readonly done: Promise<{ ended: boolean }>;
  /** the container's exit code, once it ended (docker's 125 if it cannot be learnt) */
  exitCode(): Promise<number>;
}

/** docker's --detach-keys syntax: `ctrl-p,ctrl-q`, `a,ctrl-@`... */
export function parseDetachKeys(spec: string): number[] {
  return spec.split(',').map((k) => {
    const key = k.trim().toLowerCase();
    if (key.length === 1) return key.charCodeAt(0);
    const m = /^ctrl-([a-z@[\\\]^_])$/.exec(key);
    if (!m) throw new EngineError('INVALID_OPTION', `Invalid detach keys (${spec}) provided`, spec);
    return m[1]!.toUpperCase().charCodeAt(0) & 0x1f;
  });
}

/** Passes input through until the detach sequence, then calls `onDetach` (the keys are swallowed). */
function detachWatcher(keys: number[], onDetach: () => void): Transform {
  let matched = 0;
  // node:stream only when input is relayed
  const { Transform } = stream();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out: number[] = [];
      for (const b of chunk) {
        if (b === keys[matched]) {
          matched++;
          if (matched === keys.length) {
            onDetach();
            return done(null, Buffer.from(out));
          }
          continue;
        }
        out.push(...keys.slice(0, matched), b);
        matched = 0;
      }
      done(null, Buffer.from(out));
    },
  });
}

/** Attaches to a container that is running, or created and about to be started (a `run`). */
export async function attachSession(engine: Engine, rec: ContainerRecord, streams: SessionStreams, opts: AttachOptions = {}): Promise<ContainerSession> {
  const tty = rec.config.Tty;
  let detach = () => {};
  const input = streams.stdin && tty ? streams.stdin.pipe(detachWatcher(opts.detachKeys ?? DEFAULT_DETACH_KEYS, () => detach())) : streams.stdin;
  const inner = await attach(containerPaths(engine.root, rec.id).attachSocket, {
    get stdout() {
      return streams.stdout;
    },
    get stderr() {
      return streams.stderr;
    },
    tty,
    ...(input ? { stdin: input } : {}),
  });
  detach = () => inner.detach();
  let sized = false;
  return {
    id: rec.id,
    tty,
    resize(rows, cols) {
      // a `run` attaches before the init is released: size its terminal now, so its first look sees it
      if (!sized) {
        sized = true;
        const { pid } = engine.containers.get(rec.id);
        if (pid > 0 && backendOf(engine, rec).status(rec.id, pid) === 'created') sizeWaitingTerminal(pid, rows, cols);
      }
      inner.resize(rows, cols);
    },
    detach: () => inner.detach(),
    closeStdin: () => inner.closeStdin(),
    signal(signal) {
      // it may have ended meanwhile: nothing to forward then
      killContainer(engine, rec.id, signal).catch(() => undefined);
    },
    done: inner.done,
    exitCode: () => exitCodeAfterSession(engine, rec.id, () => new Promise((r) => setTimeout(r, 10))),
  };
}

/** `attach` to a running container: refused for a stopped one, as docker does. */
export async function attachRunning(engine: Engine, ref: string, streams: SessionStreams, opts: AttachOptions = {}): Promise<ContainerSession> {
  const rec = engine.containers.resolve(ref);
  const status = liveState(engine, rec).status;
  if (status !== 'running' && status !== 'paused') throw new EngineError('BAD_STATE', 'You cannot attach to a stopped container, start it first', rec.id);
  return attachSession(engine, rec, streams, opts);
}
