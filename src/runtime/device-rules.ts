// The device cgroup rules a container gets: the config's own, then allow rules for the devices
// every container has (created in /dev by the runtime) and for the ones the config lists, as runc does.
import type { Device, LinuxDeviceCgroup, LinuxResources } from '../oci/spec.js';
import { DEFAULT_DEVICES } from './plan/rootfs.js';

const ALWAYS_ALLOWED: LinuxDeviceCgroup[] = [
  { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' }, // /dev/ptmx
  { allow: true, type: 'c', major: 136, minor: null, access: 'rwm' }, // /dev/pts/*
  { allow: true, type: 'c', major: null, minor: null, access: 'm' }, // mknod of character devices
  { allow: true, type: 'b', major: null, minor: null, access: 'm' }, // mknod of block devices
];

function allowRule(d: Device): LinuxDeviceCgroup | undefined {
  if (d.type === 'p') return undefined;
  return { allow: true, type: d.type === 'b' ? 'b' : 'c', major: d.major ?? null, minor: d.minor ?? null, access: 'rwm' };
}

export function effectiveResources(resources: LinuxResources | undefined, devices: Device[] | undefined): LinuxResources {
  const rules = [...(resources?.devices ?? [])];
  if (rules.length === 0) return { ...resources };
  for (const d of [...DEFAULT_DEVICES, ...(devices ?? [])]) {
    const r = allowRule(d);
    if (r) rules.push(r);
  }
  rules.push(...ALWAYS_ALLOWED);
  return { ...resources, devices: rules };
}
