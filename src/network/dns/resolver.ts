// The embedded DNS resolver: one process per engine database. It holds, for each container on a
// user-defined network, a UDP and a TCP socket bound to 127.0.0.11:53 inside that container's
// network namespace (made by the engine at connect time and handed over, see control.ts), answers
// the names of containers sharing a user network with it, and forwards the rest. It closes a
// container's sockets once the database no longer has it on a user network (they would keep its
// namespace alive), and exits when it serves nobody or its database is gone.
import { createSocket, type Socket } from 'node:dgram';
import { closeSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket as NetSocket } from 'node:net';
import type { Database } from 'better-sqlite3';
import { forward, type DnsTransport } from './forward.js';
import { buildAnswer, DNS_CLASS_IN, DNS_TYPE, parseQuery, RCODE } from './message.js';
import { NameTable } from './names.js';
import type { ControlReply, ControlRequest } from './protocol.js';
import { framed, onMessages } from './stream.js';
import { containerUpstreams, hostUpstreams } from './upstreams.js';

/** A backstop for what nobody told of (a CLI killed before its container's release). */
const SWEEP_INTERVAL_MS = 1000;
/** After the last container, so a run right after the previous one finds the resolver still there. */
const LINGER_MS = 1000;
const TCP_IDLE_MS = 10_000;

export interface ResolverOptions {
  db: Database;
  /** The database's file: when it is gone (its engine root reset or deleted), nothing is left to serve. */
  dbPath: string;
  /** The control socket's name (an abstract unix socket, so no stale file can block a restart). */
  controlName: string;
  /** Where the host's resolvers are read, at each forwarded query. */
  hostResolvConf: string;
  /** Takes a descriptor of another process (pidfd_getfd); the native one in production. */
  takeFd: (pid: number, fd: number) => number;
  /** Who sent a control request, from the connection's descriptor (SO_PEERCRED). */
  peerOf: (fd: number) => { pid: number; uid: number };
  /** Binds 127.0.0.11:53 (UDP, TCP) in a namespace; undefined when something already serves it there. */
  openSockets: (netnsPath: string) => { udp: number; tcp: number } | undefined;
  onExit: () => void;
}

interface Served {
  udp: Socket;
  tcp: Server;
  connections: Set<NetSocket>;
}

/** Runs `start` and waits until listening; an error before rejects, errors after are ignored. */
function listening(emitter: Socket | Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once('error', reject);
    emitter.once('listening', () => {
      emitter.off('error', reject);
      emitter.on('error', () => undefined);
      resolve();
    });
    start();
  });
}

export class Resolver {
  private readonly names: NameTable;
  private readonly served = new Map<string, Served>();
  private control: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lingering: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: ResolverOptions) {
    this.names = new NameTable(o.db);
  }

  /** Takes the control socket; false if another resolver for this database already holds it. */
  async start(): Promise<boolean> {
    const control = createServer((conn) => this.onControl(conn));
    const taken = await new Promise<boolean>((resolve, reject) => {
      control.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(false) : reject(e)));
      control.listen(`\0${this.o.controlName}`, () => resolve(true));
    });
    if (!taken) return false;
    this.control = control;
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    return true;
  }

  /** Serves a container's namespace through its two sockets (replacing those of an earlier start). */
  async adopt(containerId: string, udpFd: number, tcpFd: number): Promise<void> {
    this.release(containerId);
    clearTimeout(this.lingering);
    this.lingering = undefined;
    const udp = createSocket('udp4');
    const tcp = createServer((conn) => this.onTcp(containerId, s, conn));
    const s: Served = { udp, tcp, connections: new Set() };
    this.served.set(containerId, s);
    udp.on('message', (msg, from) => {
      void this.answer(containerId, msg, 'udp').then((reply) => {
        // the socket may have been released while an upstream was being asked
        if (reply && this.served.get(containerId) === s) udp.send(reply, from.port, from.address);
      });
    });
    try {
      await Promise.all([listening(udp, () => udp.bind({ fd: udpFd })), listening(tcp, () => tcp.listen({ fd: tcpFd }))]);
    } catch (e) {
      this.release(containerId);
      throw e;
    }
  }

  private onTcp(containerId: string, s: Served, conn: NetSocket): void {
    s.connections.add(conn);
    conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
    conn.on('error', () => undefined);
    conn.once('close', () => s.connections.delete(conn));
    onMessages(conn, (msg) => void this.answer(containerId, Buffer.from(msg), 'tcp').then((reply) => (reply ? conn.write(framed(reply)) : conn.destroy())));
  }

  /** The answer to one query from `containerId`'s namespace; null for what is not a query. */
  async answer(containerId: string, msg: Buffer, transport: DnsTransport): Promise<Buffer | null> {
    let q;
    try {
      q = parseQuery(msg);
    } catch {
      return null;
    }
    try {
      const addresses = q.class === DNS_CLASS_IN ? this.names.lookup(containerId, q.name) : [];
      if (addresses.length) return buildAnswer(q, q.type === DNS_TYPE.A ? addresses : [], RCODE.NOERROR);
      if (!this.names.reachesOutside(containerId)) return buildAnswer(q, [], RCODE.REFUSED);
      const own = containerUpstreams(this.o.db, containerId);
      const upstreams = own.length ? own : hostUpstreams(this.o.hostResolvConf);
      return (await forward(msg, upstreams, transport)) ?? buildAnswer(q, [], RCODE.SERVFAIL);
    } catch {
      return buildAnswer(q, [], RCODE.SERVFAIL);
    }
  }

  private onControl(conn: NetSocket): void {
    let text = '';
    conn.on('error', () => undefined);
    // Node keeps the descriptor on the connection's handle; without it nobody is trusted
    const fd = (conn as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    conn.on('data', (d) => {
      text += d.toString();
      if (!text.includes('\n')) return;
      void this.handle(text.slice(0, text.indexOf('\n')), fd).then((reply) => {
        conn.end(JSON.stringify(reply) + '\n', () => this.stopped && this.exit());
      });
    });
  }

  private async handle(line: string, fd: number): Promise<ControlReply> {
    try {
      const req = JSON.parse(line) as ControlRequest;
      // Any process of the host's namespace can reach the control socket: only root may make the
      // resolver take descriptors (and only its own) or stop it.
      const peer = this.o.peerOf(fd);
      if (req.op !== 'status' && (peer.uid !== 0 || (req.op === 'adopt' && req.pid !== peer.pid))) {
        return { ok: false, error: `refused: pid ${peer.pid} (uid ${peer.uid}) may not ${req.op}` };
      }
      if (req.op === 'adopt') {
        // the sender keeps its copies open until this reply, so its descriptors are still there
        const udp = this.o.takeFd(req.pid, req.udp);
        let tcp: number;
        try {
          tcp = this.o.takeFd(req.pid, req.tcp);
        } catch (e) {
          closeSync(udp);
          throw e;
        }
        await this.adopt(req.containerId, udp, tcp);
      } else if (req.op === 'release') {
        this.release(req.containerId);
        this.lingerIfIdle();
      } else if (req.op === 'stop') {
        this.close();
      }
      return { ok: true, containers: [...this.served.keys()] };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  /** Lets go of containers that left their user networks; exits once nobody is served. */
  sweep(): void {
    if (this.stopped) return;
    if (!existsSync(this.o.dbPath)) return this.stop();
    let wanted: Set<string>;
    try {
      wanted = this.names.servedContainers();
    } catch {
      // the database is being reset under us: the next sweep sees it gone
      return;
    }
    for (const id of [...this.served.keys()]) if (!wanted.has(id)) this.release(id);
    for (const id of wanted) if (!this.served.has(id)) void this.recover(id).catch(() => undefined);
    this.lingerIfIdle();
  }

  /**
   * A running container this resolver should serve but does not: a resolver before this one died
   * with its sockets. Makes them again in the namespace of the container's init, once that pid is
   * verified to be in the container's own cgroup (a recorded pid may have been reused).
   */
  private async recover(containerId: string): Promise<void> {
    const pid = this.names.initPid(containerId);
    if (!pid || !readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/${containerId}`)) return;
    const sockets = this.o.openSockets(`/proc/${pid}/ns/net`);
    if (sockets && !this.served.has(containerId)) await this.adopt(containerId, sockets.udp, sockets.tcp);
    else if (sockets) for (const fd of [sockets.udp, sockets.tcp]) closeSync(fd);
  }

  /** Exits a moment after the last container, unless another comes. */
  private lingerIfIdle(): void {
    if (this.served.size === 0 && !this.lingering) {
      this.lingering = setTimeout(() => this.served.size === 0 && this.stop(), LINGER_MS);
    }
  }

  private release(containerId: string): void {
    const s = this.served.get(containerId);
    if (!s) return;
    this.served.delete(containerId);
    s.udp.close();
    s.tcp.close();
    for (const c of s.connections) c.destroy();
  }

  private close(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.lingering);
    for (const id of [...this.served.keys()]) this.release(id);
    this.control?.close();
  }

  private exit(): void {
    this.o.onExit();
  }

  stop(): void {
    this.close();
    this.exit();
  }
}
