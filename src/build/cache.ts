// Cache keys: a step's key is its parent's key plus the instruction (with the build args it sees
// and, for COPY/ADD, a digest of what it reads). The index from keys to layers is cache-index.ts.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export function chainKey(parent: string, ...parts: string[]): string {
  const h = createHash('sha256').update(parent);
  for (const p of parts) h.update('\0').update(p);
  return h.digest('hex');
}

/** Where `RUN --mount=type=cache` directories live between builds. */
export function cacheMountDir(root: string, id: string): string {
  return join(root, 'build', 'cache-mounts', createHash('sha256').update(id).digest('hex').slice(0, 32));
}

export function cacheMountsRoot(root: string): string {
  return join(root, 'build', 'cache-mounts');
}
