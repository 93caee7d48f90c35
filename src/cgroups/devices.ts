// OCI device cgroup rules, validated and normalised once for both drivers. Rules apply in order on
// top of "deny everything": the last rule that matches an access decides it, as in cgroup v1.
import type { LinuxDeviceCgroup } from '../oci/spec.js';
import { CgroupError } from './errors.js';

export type DeviceType = 'a' | 'b' | 'c';

export interface DeviceRule {
  allow: boolean;
  type: DeviceType;
  /** null: any */
  major: number | null;
  minor: number | null;
  /** a non-empty subset of "rwm", in that order */
  access: string;
}

const ACCESS_ORDER = 'rwm';

function wildcard(n: number | null | undefined): number | null {
  return n === undefined || n === null || n < 0 ? null : n;
}

export function normalizeDeviceRule(rule: LinuxDeviceCgroup): DeviceRule {
  const type = rule.type ?? 'a';
  if (!['a', 'b', 'c'].includes(type)) throw new CgroupError('CGROUP_INVALID', `device rule type ${JSON.stringify(type)} is not a, b or c`);
  const access = rule.access ?? ACCESS_ORDER;
  if (access === '' || [...access].some((c) => !ACCESS_ORDER.includes(c))) {
    throw new CgroupError('CGROUP_INVALID', `device rule access ${JSON.stringify(access)} is not a subset of "rwm"`);
  }
  return {
    allow: rule.allow,
    type,
    major: wildcard(rule.major),
    minor: wildcard(rule.minor),
    access: [...ACCESS_ORDER].filter((c) => access.includes(c)).join(''),
  };
}

/** The devices every container gets whatever its spec says (runc's list): null, zero, full, tty,
 *  random, urandom, ptmx, the pty slaves, and mknod of any char or block device. */
export const DEFAULT_ALLOWED_DEVICES: readonly LinuxDeviceCgroup[] = [
  { allow: true, type: 'c', major: null, minor: null, access: 'm' },
  { allow: true, type: 'b', major: null, minor: null, access: 'm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 7, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' },
  { allow: true, type: 'c', major: 136, minor: null, access: 'rwm' },
];
