// Names for the numbers a trace shows: namespace and mount flags, capability sets, rlimits, errnos.
import { CAPABILITIES } from '../runtime/capabilities.js';
import { RLIMITS } from '../runtime/rlimits.js';
import { CloneFlag, MountFlag, sys } from '../sys/native.js';

const CLONE_FLAGS: [number, string][] = [
  ...Object.entries(CloneFlag).map(([k, v]): [number, string] => [v, `CLONE_${k}`]),
  [0x00008000, 'CLONE_PARENT'],
];
const MOUNT_FLAGS: [number, string][] = Object.entries(MountFlag).map(([k, v]) => [v, `MS_${k}`]);

function flagNames(value: number, table: [number, string][]): string {
  const names: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) === bit && bit !== 0) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join('|') || '0';
}

export const cloneFlagNames = (flags: number): string => flagNames(flags, CLONE_FLAGS);
export const mountFlagNames = (flags: number): string => flagNames(flags, MOUNT_FLAGS);

/** "chown,kill,net_bind_service" for a capability mask split in two 32-bit words. */
export function capabilityNames(lo: number, hi: number): string {
  const mask = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (mask === 0n) return 'none';
  const names = CAPABILITIES.filter((_, i) => mask & (1n << BigInt(i))).map((n) => n.slice(4).toLowerCase());
  return `${names.length}: ${names.join(',')}`;
}

const rlimitNames = new Map(Object.entries(RLIMITS).map(([k, v]) => [v, k]));
export const rlimitName = (resource: number): string => rlimitNames.get(resource) ?? `rlimit ${resource}`;

/** "EPERM", from the native strerror's "Operation not permitted (EPERM)". */
export function errnoName(errno: number): string {
  return /\((E[A-Z0-9]+)\)$/.exec(sys().strerror(errno))?.[1] ?? `errno ${errno}`;
}
