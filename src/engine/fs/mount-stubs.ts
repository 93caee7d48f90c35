// Files the engine bind-mounts over at every start (bundle/mounts.ts etcMounts, and the --init
// binary): when the image lacks them, the runtime leaves empty stand-ins in the upper dir. They
// are the engine's, not the container's changes, so diff and commit leave them out as docker does.
import { INIT_PATH } from '../bundle/spec.js';

export const ENGINE_MOUNT_STUBS: readonly string[] = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', INIT_PATH];

export function isEngineMountStub(path: string): boolean {
  return ENGINE_MOUNT_STUBS.includes(path.startsWith('/') ? path : `/${path}`);
}
