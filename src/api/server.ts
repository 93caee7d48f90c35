// The Engine API server: every listener feeds one HTTP server; each request is versioned, routed
// and answered by a handler over the engine. The server holds no container state of its own
// (everything is in the engine root), so it can stop and start at any time, next to CLI users.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RequestContext } from './context.js';
import { ApiError, toHttpError } from './errors.js';
import { openListeners, parseHost, type Listeners, type ListenOptions } from './listeners.js';
import { Query } from './query.js';
import { Router, type Route } from './router.js';
import { MAX_API_VERSION, splitVersion } from './version.js';

export interface ServerOptions extends ListenOptions {
  hosts: string[];
  routes: Route[];
  /** the vessel version, for the Server header */
  version: string;
  /** exit after this long with no request in flight (podman's `system service --time`) */
  idleTimeoutMs?: number;
  /** one line per request and per problem */
  log: (line: string) => void;
}

export class ApiServer {
  private readonly router = new Router();
  private readonly http: HttpServer;
  private listeners: Listeners | undefined;
  private readonly sockets = new Set<Duplex>();
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private readonly commonHeaders: Record<string, string>;
  /** resolves when the server has stopped, by stop() or the idle timeout */
  readonly stopped: Promise<void>;
  private markStopped!: () => void;

  constructor(private readonly opts: ServerOptions) {
    this.router.add(opts.routes);
    this.commonHeaders = {
      'Api-Version': MAX_API_VERSION,
      'Docker-Experimental': 'false',
      Ostype: 'linux',
      Server: `vessel/${opts.version} (linux)`,
    };
    this.http = createServer({ keepAlive: true }, (req, res) => void this.dispatch(req, res, undefined));
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.dispatch(req, undefined, { socket, head }));
    this.http.on('connection', (socket: Socket) => this.track(socket));
    this.http.on('clientError', (_e, socket: Duplex) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
  }

  async start(): Promise<void> {
    const hosts = this.opts.hosts.map(parseHost);
    this.listeners = await openListeners(hosts, this.opts, (socket) => this.http.emit('connection', socket), (m) => this.opts.log(`warning: ${m}`));
    this.armIdleTimer();
  }

  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then closes what is left. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.draining) return this.stopped;
    this.draining = true;
    clearTimeout(this.idleTimer);
    this.listeners?.close();
    this.http.closeIdleConnections();
    const deadline = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const s of this.sockets) s.destroy();
    this.http.close();
    this.markStopped();
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private armIdleTimer(): void {
    const ms = this.opts.idleTimeoutMs;
    if (!ms || this.inFlight > 0 || this.draining) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.opts.log(`idle for ${ms / 1000}s: stopping`);
      void this.stop();
    }, ms);
    this.idleTimer.unref?.();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse | undefined, upgraded: { socket: Duplex; head: Buffer } | undefined): Promise<void> {
    if (upgraded) this.track(upgraded.socket);
    this.inFlight++;
    clearTimeout(this.idleTimer);
    const started = Date.now();
    let ctx: RequestContext | undefined;
    const url = new URL(req.url ?? '/', 'http://vessel');
    try {
      if (this.draining) throw new ApiError('unavailable', 'the server is shutting down');
      const { version, path } = splitVersion(url.pathname);
      const found = this.router.match(req.method ?? 'GET', path);
      if (found === undefined) throw ApiError.notFound('page not found');
      if (found === 'method') throw new ApiError('invalidParameter', `method ${req.method} is not allowed on ${path}`);
      ctx = new RequestContext(req, res, upgraded, path, version, found.params, new Query(url.searchParams), this.commonHeaders);
      await found.handler(ctx);
    } catch (e) {
      const { status, message } = toHttpError(e);
      if (status >= 500) this.opts.log(`${req.method} ${url.pathname}: ${(e as Error)?.stack ?? message}`);
      if (ctx?.answered) {
        // the answer had started: all that is left is to cut the connection
        (upgraded?.socket ?? req.socket).destroy();
      } else {
        const answer = ctx ?? new RequestContext(req, res, upgraded, url.pathname, MAX_API_VERSION, {}, new Query(url.searchParams), this.commonHeaders);
        answer.error(status, message);
      }
    } finally {
      this.inFlight--;
      this.opts.log(`${req.method} ${url.pathname}${url.search} ${Date.now() - started}ms`);
      this.armIdleTimer();
    }
  }
}
