// Handing a container's resolver sockets to the resolver process of its engine database, found
// through an abstract unix socket named after the database's path, or starting that process.
//
// Why the engine makes the sockets and the resolver adopts them, rather than the resolver entering
// namespaces itself: the sockets exist before the container's process starts whether or not a
// resolver is already running, so a cold start costs `vessel run` one spawn and no wait for a Node
// process to boot (the new resolver gets them as its descriptors 3 and 4). A running resolver takes
// them with pidfd_getfd while the engine waits for its one-line reply (under a millisecond): Node
// cannot receive SCM_RIGHTS on its unix sockets, and pidfd_getfd needs no native event loop. The
// engine side of that exchange is a blocking native call: setting up Node's streams for it would
// cost a short-lived CLI more than the exchange itself.
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcess } from '../../sys/lazy.js';
import { netnsSys } from '../../sys/netns.js';
import { activeTracer } from '../../trace/active.js';
import { NetworkError } from '../errors.js';
import type { ControlReply, ControlRequest } from './protocol.js';
import { closeResolverSockets, openResolverSockets, type ResolverSockets } from './sockets.js';
import { fnv1a64 } from '../../hash/fnv.js';

const REPLY_TIMEOUT_MS = 5000;
export const RESOLVER_LOG = 'vessel-dns.log';

export function controlName(dbPath: string): string {
  return `vessel-dns-${fnv1a64(dbPath)}`;
}

/**
 * How to run the resolver: the bundled dist/vessel-dns.cjs next to the bundled CLI, or this
 * source tree's main.ts through tsx (tests, and a CLI bundle without the resolver beside it).
 */
function resolverCommand(): string[] {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const bundled = fileURLToPath(new URL('./vessel-dns.cjs', here));
    if (existsSync(bundled)) return [bundled];
    const source = fileURLToPath(new URL('../src/network/dns/main.ts', here));
    return ['--import', import.meta.resolve('tsx'), source];
  }
  return ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./main.ts', here))];
}

/**
 * One request to the resolver of the control socket `name`, answered within a millisecond or so.
 * Undefined when no resolver listens there, or it closed the connection without answering (it was
 * exiting).
 */
export function askResolver(name: string, req: ControlRequest): ControlReply | undefined {
  let line: string | null;
  try {
    line = netnsSys().unixRequest(name, JSON.stringify(req) + '\n', REPLY_TIMEOUT_MS);
  } catch (cause) {
    throw new NetworkError('ATTACH_FAILED', `the DNS resolver did not answer: ${(cause as Error).message}`, name, { cause });
  }
  return line === null ? undefined : (JSON.parse(line) as ControlReply);
}

/** Gives the sockets to the running resolver; false when there is none to take them. */
export function handOver(name: string, containerId: string, s: ResolverSockets): boolean {
  const reply = askResolver(name, { op: 'adopt', pid: process.pid, udp: s.udp, tcp: s.tcp, containerId });
  if (reply && !reply.ok) throw new NetworkError('ATTACH_FAILED', `the DNS resolver cannot serve container ${containerId.slice(0, 12)}: ${reply.error}`, containerId);
  return reply !== undefined;
}

function startResolver(dbPath: string, containerId: string, s: ResolverSockets): void {
  // its complaints, if any, beside the database (a reset removes them with it)
  const log = openSync(join(dirname(dbPath), RESOLVER_LOG), 'a');
  try {
    spawnResolver(dbPath, containerId, s, log);
  } finally {
    closeSync(log);
  }
}

function spawnResolver(dbPath: string, containerId: string, s: ResolverSockets, log: number): void {
  const child = childProcess().spawn(process.execPath, [...resolverCommand(), dbPath, '--adopt', containerId], {
    detached: true,
    stdio: ['ignore', 'ignore', log, s.udp, s.tcp],
    cwd: '/',
  });
  // a failed start shows as names that do not resolve, not as a crash of this CLI
  child.on('error', () => undefined);
  child.unref();
}

/**
 * Makes the resolver of `dbPath` answer on 127.0.0.11:53 inside the namespace at `netnsPath` for
 * `containerId`, whose endpoints must already be in the database. Returns once the sockets are
 * bound there (and the resolver has them or is starting with them).
 */
export function serveContainerNames(dbPath: string, containerId: string, netnsPath: string): void {
  const tracer = activeTracer();
  const sockets = tracer.span('network', 'dns', (s) => `bind 127.0.0.11:53 (udp, tcp) in ${netnsPath}${s ? '' : ': no user network, nothing to serve'}`, () => openResolverSockets(netnsPath));
  if (!sockets) return;
  try {
    const handed = tracer.span('network', 'dns', (ok) => `register container ${containerId.slice(0, 12)} with the running resolver${ok === false ? ': none runs' : ''}`, () => handOver(controlName(dbPath), containerId, sockets));
    if (!handed) tracer.span('network', 'dns', `start a resolver with container ${containerId.slice(0, 12)}'s sockets`, () => startResolver(dbPath, containerId, sockets));
  } finally {
    closeResolverSockets(sockets);
  }
}

/**
 * Has the resolver of `dbPath`, if one runs, close `containerId`'s sockets before this returns: they
 * keep the container's network namespace, and with it its veth on the bridge, alive.
 */
export function releaseContainerNames(dbPath: string, containerId: string): void {
  activeTracer().span('network', 'dns', `release container ${containerId.slice(0, 12)} from the resolver`, () => askResolver(controlName(dbPath), { op: 'release', containerId }));
}

/** Whether a resolver for `dbPath` is listening (read from /proc, so it does not keep it awake). */
export function resolverRunning(dbPath: string): boolean {
  // Node pads an abstract name with NULs to the whole sun_path, which /proc shows as '@'s
  const listening = new RegExp(` @${controlName(dbPath)}@*$`, 'm');
  return listening.test(readFileSync('/proc/net/unix', 'utf8'));
}

/** Stops the resolver of `dbPath` if one runs (`system reset`, tests); returns once it has let go. */
export function stopResolver(dbPath: string): void {
  askResolver(controlName(dbPath), { op: 'stop' });
}
