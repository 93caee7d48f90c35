// The embedded DNS resolver: one process per engine database, serving every user-defined network
// that has containers. It listens on each network's gateway address, port 53 (the containers'
// resolv.conf names that address), answers the names of containers sharing a network with the
// one asking, and forwards everything else. A control socket lets vessel processes make it pick
// up new networks before a container starts; it exits by itself once no container is left.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Database } from 'better-sqlite3';
import { buildAnswer, DNS_CLASS_IN, DNS_TYPE, parseQuery, RCODE, type DnsQuestion } from './message.js';
import { NameTable, type ServedNetwork } from './names.js';
import { containerUpstreams, hostUpstreams } from './upstreams.js';

export const DNS_PORT = 53;
const FORWARD_TIMEOUT_MS = 2000;
const SCAN_INTERVAL_MS = 1000;
/** Idle scans in a row before exiting, so a container that is about to start is not left alone. */
const IDLE_SCANS_BEFORE_EXIT = 3;

export interface SyncReply {
  ok: boolean;
  /** Gateway addresses being served. */
  listening: string[];
  errors: string[];
}

export interface ResolverOptions {
  db: Database;
  /** The database's file: when it is gone (its engine root deleted), there is nothing left to serve. */
  dbPath: string;
  /** The control socket's name (an abstract unix socket, so no stale file can block a restart). */
  controlName: string;
  port?: number;
  onExit: () => void;
}

function forward(query: Buffer, upstreams: string[], port: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const [first, ...rest] = upstreams;
    if (!first) return resolve(null);
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(forward(query, rest, port));
    }, FORWARD_TIMEOUT_MS);
    sock.once('message', (reply) => {
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    });
    sock.once('error', () => {
      clearTimeout(timer);
      sock.close();
      resolve(forward(query, rest, port));
    });
    // connected, so an upstream with nothing listening fails at once (ICMP) instead of timing out
    sock.connect(port, first, () => sock.send(query));
  });
}

export class Resolver {
  private readonly names: NameTable;
  private readonly sockets = new Map<string, { network: ServedNetwork; socket: Socket }>();
  private control: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleScans = 0;
  private lastScan: Promise<unknown> = Promise.resolve();
  private readonly port: number;

  constructor(private readonly o: ResolverOptions) {
    this.names = new NameTable(o.db);
    this.port = o.port ?? DNS_PORT;
  }

  /** Takes the control socket; false if another resolver for this database already holds it. */
  async start(): Promise<boolean> {
    const control = createServer((conn) => {
      conn.once('data', () => {
        this.idleScans = 0;
        void this.scan().then((reply) => conn.end(JSON.stringify(reply) + '\n'));
      });
      conn.on('error', () => undefined);
    });
    const listening = await new Promise<boolean>((resolve, reject) => {
      control.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(false) : reject(e)));
      control.listen(`\0${this.o.controlName}`, () => resolve(true));
    });
    if (!listening) return false;
    this.control = control;
    this.timer = setInterval(() => void this.tick(), SCAN_INTERVAL_MS);
    await this.scan();
    return true;
  }

  private async tick(): Promise<void> {
    if (!existsSync(this.o.dbPath)) return this.stop();
    await this.scan();
    this.idleScans = this.sockets.size ? 0 : this.idleScans + 1;
    if (this.idleScans >= IDLE_SCANS_BEFORE_EXIT) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const { socket } of this.sockets.values()) socket.close();
    this.sockets.clear();
    this.control?.close();
    this.o.onExit();
  }

  /**
   * Listens on the gateways of networks that gained containers and stops on those that lost them.
   * Scans run one after another: a timer tick and a sync request interleaving at an `await` could
   * both bind a network's gateway, or close the socket the other just opened.
   */
  scan(): Promise<SyncReply> {
    const next = this.lastScan.then(() => this.scanOnce());
    this.lastScan = next.catch(() => undefined);
    return next;
  }

  private async scanOnce(): Promise<SyncReply> {
    const wanted = new Map(this.names.servedNetworks().map((n) => [n.id, n]));
    for (const [id, s] of this.sockets) {
      if (wanted.get(id)?.gateway !== s.network.gateway) {
        s.socket.close();
        this.sockets.delete(id);
      }
    }
    const errors: string[] = [];
    for (const n of wanted.values()) {
      if (this.sockets.has(n.id)) continue;
      try {
        this.sockets.set(n.id, { network: n, socket: await this.listen(n) });
      } catch (e) {
        errors.push(`${n.name} (${n.gateway}:${this.port}): ${(e as Error).message}`);
      }
    }
    return { ok: errors.length === 0, listening: [...this.sockets.values()].map((s) => s.network.gateway), errors };
  }

  private listen(n: ServedNetwork): Promise<Socket> {
    // reuseAddr: a host DNS server bound to 0.0.0.0:53 still lets this more specific bind through
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: n.gateway, port: this.port }, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        socket.on('message', (msg, rinfo) => void this.answer(n, socket, msg, rinfo));
        resolve(socket);
      });
    });
  }

  private async answer(n: ServedNetwork, socket: Socket, msg: Buffer, from: RemoteInfo): Promise<void> {
    let q: DnsQuestion;
    try {
      q = parseQuery(msg);
    } catch {
      return;
    }
    let reply: Buffer;
    try {
      const containerId = this.names.containerAt(n.id, from.address);
      // only the network's containers are served: the host and strangers get nothing forwarded
      reply = containerId === undefined ? buildAnswer(q, [], RCODE.REFUSED) : await this.resolveFor(n, containerId, q, msg);
    } catch {
      reply = buildAnswer(q, [], RCODE.SERVFAIL);
    }
    socket.send(reply, from.port, from.address);
  }

  private async resolveFor(n: ServedNetwork, containerId: string, q: DnsQuestion, msg: Buffer): Promise<Buffer> {
    const addresses = q.class === DNS_CLASS_IN ? this.names.lookup(containerId, q.name) : [];
    if (addresses.length) return buildAnswer(q, q.type === DNS_TYPE.A ? addresses : [], RCODE.NOERROR);
    // internal networks have no way out, for names as for packets
    if (n.internal) return buildAnswer(q, [], RCODE.REFUSED);
    const own = containerUpstreams(this.o.db, containerId);
    const reply = await forward(msg, own.length ? own : hostUpstreams(), DNS_PORT);
    return reply ?? buildAnswer(q, [], RCODE.SERVFAIL);
  }
}
