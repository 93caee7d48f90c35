// Sockets created inside another network namespace, and descriptors taken from another process
// (native/src/netns_socket.c).
import { sys } from './native.js';

export interface NetnsSys {
  /**
   * A close-on-exec socket created inside the network namespace that `nsFd` (an open
   * /proc/PID/ns/net or /run/netns/NAME) refers to; it stays there for its whole life.
   */
  socketInNetns(nsFd: number, family: number, type: number, protocol: number): number;
  /** bind(2) to an IPv4 address; stream sockets get SO_REUSEADDR, datagram sockets do not. */
  bindIPv4(fd: number, address: string, port: number): void;
  listenSocket(fd: number, backlog: number): void;
  /** A close-on-exec duplicate of descriptor `fd` of process `pid` (pidfd_getfd(2)). */
  pidfdGetFd(pid: number, fd: number): number;
  /** Who is at the other end of a connected unix socket (SO_PEERCRED). */
  peerCredentials(fd: number): { pid: number; uid: number };
  /**
   * Sends `line` to the abstract unix socket `abstractName` and returns the first line of the
   * reply (without its newline), blocking up to `timeoutMs` for each step; null when nobody
   * listens there or the listener closed without answering. Throws ETIMEDOUT.
   */
  unixRequest(abstractName: string, line: string, timeoutMs: number): string | null;
}

/** socket(2) constants. */
export const SocketFamily = { INET: 2 } as const;
export const SocketType = { STREAM: 1, DGRAM: 2 } as const;

export function netnsSys(): NetnsSys {
  return sys() as unknown as NetnsSys;
}
