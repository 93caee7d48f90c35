// Typed facade over the native netlink mechanism (native/src/netlink.c). Message building and
// parsing live in src/network/netlink/.
import { sys } from './native.js';

export interface NetlinkSys {
  /**
   * A close-on-exec netlink socket of `protocol` (0 = NETLINK_ROUTE) created inside the network
   * namespace at `netnsPath` (null: the caller's). Close it with fs.closeSync.
   */
  netlinkOpen(protocol: number, netnsPath: string | null): number;
  /**
   * Sends one request (it must set NLM_F_ACK or be a dump) and returns every reply message with
   * its sequence number, each a whole message including its header, up to the ACK or DONE.
   * Throws an Error with `code` (EEXIST…), `errno`, `syscall: 'netlink'` and, when the kernel
   * explains itself, `extack`.
   */
  netlinkTransact(fd: number, request: Buffer): Buffer[];
}

export function netlinkSys(): NetlinkSys {
  return sys() as unknown as NetlinkSys;
}
