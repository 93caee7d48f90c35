// Linux capability names and numbers (linux/capability.h), and the masks the plan needs.
import { readFileSync } from 'node:fs';

export const CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

const numbers = new Map(CAPABILITIES.map((name, i) => [name, i]));

export function capabilityNumber(name: string): number | undefined {
  return numbers.get(name.toUpperCase().startsWith('CAP_') ? name.toUpperCase() : `CAP_${name.toUpperCase()}`);
}

/** The capabilities this process may hand out: its bounding set (this host lacks CAP_SYS_RESOURCE). */
export function availableCapabilities(): bigint {
  const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? BigInt(`0x${m[1]}`) : (1n << BigInt(CAPABILITIES.length)) - 1n;
}

export interface CapabilityMask {
  mask: bigint;
  /** Names that are unknown, or known but not available to the runtime: ignored, as runc does. */
  ignored: string[];
}

export function capabilityMask(names: readonly string[] | undefined, available: bigint): CapabilityMask {
  let mask = 0n;
  const ignored: string[] = [];
  for (const name of names ?? []) {
    const n = capabilityNumber(name);
    if (n === undefined || !(available & (1n << BigInt(n)))) {
      ignored.push(name);
      continue;
    }
    mask |= 1n << BigInt(n);
  }
  return { mask, ignored };
}

export function lo32(mask: bigint): number {
  return Number(mask & 0xffffffffn);
}
export function hi32(mask: bigint): number {
  return Number((mask >> 32n) & 0xffffffffn);
}

/** docker's default capability set, which the engine gives every container. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];
