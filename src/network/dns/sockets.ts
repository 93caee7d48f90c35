// The embedded resolver's sockets inside a container's network namespace: UDP and TCP on
// 127.0.0.11:53 (the container's loopback is up by then). Made by the engine at connect time,
// before the container's process starts: a query sent before the resolver reads it waits in the
// socket's buffer or backlog, so the name works from the container's first instruction on.
import { closeSync, openSync } from 'node:fs';
import { netnsSys, SocketFamily, SocketType, type NetnsSys } from '../../sys/netns.js';
import { DNS_PORT, EMBEDDED_RESOLVER_ADDRESS } from './protocol.js';

export interface ResolverSockets {
  udp: number;
  tcp: number;
}

const TCP_BACKLOG = 64;

function inNetns(sys: NetnsSys, ns: number, type: number, address: string, port: number): number {
  const fd = sys.socketInNetns(ns, SocketFamily.INET, type, 0);
  try {
    sys.bindIPv4(fd, address, port);
    if (type === SocketType.STREAM) sys.listenSocket(fd, TCP_BACKLOG);
    return fd;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * Binds the resolver's sockets inside the namespace at `netnsPath`; undefined when a resolver
 * already answers there (its UDP socket holds the address: the container joined a second user
 * network, or shares the namespace of one that is served).
 */
export function openResolverSockets(netnsPath: string, port = DNS_PORT, sys: NetnsSys = netnsSys()): ResolverSockets | undefined {
  const ns = openSync(netnsPath, 'r');
  try {
    let udp: number;
    try {
      udp = inNetns(sys, ns, SocketType.DGRAM, EMBEDDED_RESOLVER_ADDRESS, port);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
      throw e;
    }
    try {
      return { udp, tcp: inNetns(sys, ns, SocketType.STREAM, EMBEDDED_RESOLVER_ADDRESS, port) };
    } catch (e) {
      closeSync(udp);
      throw e;
    }
  } finally {
    closeSync(ns);
  }
}

export function closeResolverSockets(s: ResolverSockets): void {
  closeSync(s.udp);
  closeSync(s.tcp);
}
