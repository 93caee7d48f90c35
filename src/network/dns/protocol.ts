// What vessel processes say to the resolver over its control socket: one JSON line each way.

/**
 * `adopt`: take over the process `pid`'s descriptors `udp` and `tcp` (127.0.0.11:53, bound inside
 * the namespace of `containerId`) with pidfd_getfd; the sender keeps them open until the reply.
 * `release`: close the sockets of `containerId` (it stops or left its user networks) before the
 * reply, so they no longer keep its namespace alive. `status`: the containers being served.
 * `stop`: close everything and exit.
 */
export type ControlRequest =
  | { op: 'adopt'; pid: number; udp: number; tcp: number; containerId: string }
  | { op: 'release'; containerId: string }
  | { op: 'status' }
  | { op: 'stop' };

export type ControlReply = { ok: true; containers: string[] } | { ok: false; error: string };

export const EMBEDDED_RESOLVER_ADDRESS = '127.0.0.11';
export const DNS_PORT = 53;
