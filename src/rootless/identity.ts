// Whether this process runs without root's powers over the host: as an ordinary user, or as root
// inside a user namespace (as under rootless podman). Such a process owns no cgroup it did not
// make, cannot write arbitrary id maps and cannot create device nodes.
import { readFileSync } from 'node:fs';

let cached: boolean | undefined;

/** uid_map of the initial user namespace: every id mapped to itself. */
const IDENTITY_MAP = /^\s*0\s+0\s+4294967295\s*$/;

export function inUserNamespace(): boolean {
  try {
    return !IDENTITY_MAP.test(readFileSync('/proc/self/uid_map', 'utf8'));
  } catch {
    return false;
  }
}

export function runningRootless(): boolean {
  cached ??= process.geteuid!() !== 0 || inUserNamespace();
  return cached;
}
