// Bytes a directory tree takes (file sizes, symlinks not followed), as `system df` reports them.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function treeSize(path: string): number {
  let total = 0;
  const stack = [path];
  while (stack.length) {
    const p = stack.pop()!;
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      try {
        for (const name of readdirSync(p)) stack.push(join(p, name));
      } catch {
        // unreadable: counted as empty
      }
    } else total += st.size;
  }
  return total;
}
