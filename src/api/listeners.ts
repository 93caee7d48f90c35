// Where the API server listens: `unix:///path`, `tcp://host:port` (with TLS, or plain only when
// asked for explicitly), and `fd://` for systemd socket activation (LISTEN_FDS), as dockerd's -H.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { ApiError } from './errors.js';

export type HostSpec =
  | { kind: 'unix'; path: string; url: string }
  | { kind: 'tcp'; host: string; port: number; url: string }
  | { kind: 'fd'; fds: number[] | 'all'; url: string };

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface ListenOptions {
  /** group that may use unix sockets (created 0660 root:group); without one, 0660 root:root */
  group?: string;
  /** client certificates are verified against `ca` */
  tls?: TlsFiles;
  /** plain TCP without TLS, which lets anyone who can reach the port run containers as root */
  insecureTcp?: boolean;
}

export const DEFAULT_SOCKET = '/run/vessel/vessel.sock';

export function parseHost(url: string): HostSpec {
  if (url.startsWith('unix://')) {
    const path = url.slice('unix://'.length);
    if (!path.startsWith('/')) throw new ApiError('invalidParameter', `invalid host ${url}: a unix socket path must be absolute`);
    return { kind: 'unix', path, url };
  }
  if (url.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]*):(\d+)\/?$/.exec(url);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !(port > 0 && port < 65536)) throw new ApiError('invalidParameter', `invalid host ${url}: expected tcp://ADDRESS:PORT`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', port, url };
  }
  if (url === 'fd://' || url.startsWith('fd://')) {
    const rest = url.slice('fd://'.length);
    if (rest && !/^\d+(,\d+)*$/.test(rest)) throw new ApiError('invalidParameter', `invalid host ${url}: expected fd:// or fd://N`);
    return { kind: 'fd', fds: rest ? rest.split(',').map(Number) : 'all', url };
  }
  throw new ApiError('invalidParameter', `invalid host ${url}: use unix:///PATH, tcp://ADDRESS:PORT or fd://`);
}

/** The fds systemd passed (LISTEN_PID must be this process), from 3 on. */
export function activationFds(env: NodeJS.ProcessEnv = process.env): number[] {
  if (Number(env.LISTEN_PID) !== process.pid) return [];
  const n = Number(env.LISTEN_FDS ?? 0);
  return Array.from({ length: Number.isInteger(n) && n > 0 ? n : 0 }, (_, i) => 3 + i);
}

function groupId(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[0] === name);
  if (!line) throw new ApiError('invalidParameter', `group ${name} does not exist (see /etc/group); create it or pass --group with an existing group`);
  return Number(line.split(':')[2]);
}

/** A leftover socket file whose server is gone is removed; one that answers is someone else's. */
async function clearStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) throw new ApiError('conflict', `cannot listen on ${path}: a file that is not a socket is there`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new ApiError('conflict', `cannot listen on ${path}: another server is answering there`);
  unlinkSync(path);
}

function listen(server: Server, how: Parameters<Server['listen']>[0], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new ApiError('system', `cannot listen on ${what}: ${(e as Error).message}`, { cause: e })));
    server.listen(how, () => resolve());
  });
}

/**
 * Opens one listener per host. Connections are handed to `onConnection` (the HTTP server), so one
 * HTTP server serves them all; `warn` receives what the operator must know (insecure TCP).
 */
export interface Listeners {
  servers: Server[];
  /** Stops accepting connections (at once) and removes the socket files this process made. */
  close(): void;
}

export async function openListeners(hosts: HostSpec[], opts: ListenOptions, onConnection: (socket: Socket) => void, warn: (m: string) => void): Promise<Listeners> {
  const servers: Server[] = [];
  const ownPaths: string[] = [];
  // net.Server.close() calls back only once every connection it accepted has ended: the caller
  // ends those (keep-alive, streams) after this resolves, so don't wait for the callbacks here
  const close = () => {
    for (const s of servers) if (s.listening) s.close();
    for (const path of ownPaths.splice(0)) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  try {
    for (const host of hosts) {
      if (host.kind === 'fd') {
        const passed = activationFds();
        const fds = host.fds === 'all' ? passed : host.fds;
        if (fds.length === 0) throw new ApiError('invalidParameter', `${host.url}: no sockets were passed by systemd (LISTEN_FDS is unset or not for this process)`);
        for (const fd of fds) {
          const s = createServer(onConnection);
          servers.push(s);
          await listen(s, { fd }, `fd ${fd}`);
        }
        continue;
      }
      if (host.kind === 'unix') {
        mkdirSync(dirname(host.path), { recursive: true, mode: 0o755 });
        await clearStaleSocket(host.path);
        const s = createServer(onConnection);
        servers.push(s);
        await listen(s, host.path, host.path);
        ownPaths.push(host.path);
        chmodSync(host.path, 0o660);
        chownSync(host.path, 0, opts.group ? groupId(opts.group) : 0);
        continue;
      }
      if (opts.tls) {
        const s = createTlsServer(
          { ca: readFileSync(opts.tls.ca), cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key), requestCert: true, rejectUnauthorized: true },
          onConnection,
        );
        servers.push(s);
        await listen(s, { host: host.host, port: host.port }, host.url);
        continue;
      }
      if (!opts.insecureTcp) {
        throw new ApiError('invalidParameter', `refusing to listen on ${host.url} without TLS: anyone who reaches it can run containers as root; pass --tlsverify with --tlscacert/--tlscert/--tlskey, or --insecure-tcp if you really mean it`);
      }
      warn(`listening on ${host.url} without TLS: anyone who can reach it can run containers as root on this host`);
      const s = createServer(onConnection);
      servers.push(s);
      await listen(s, { host: host.host, port: host.port }, host.url);
    }
  } catch (e) {
    close();
    throw e;
  }
  return { servers, close };
}
