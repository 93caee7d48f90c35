// `diff`: what a container changed in its image, read from its overlay upper dir. A 0/0 character
// device is a deletion (D); anything else is a change (C) when a lower layer has it, else an
// addition (A). An opaque directory replaces the lower one: it is changed, and what the image had
// in it and the container did not re-create is deleted.
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import type { XattrSys } from '../../sys/binding.js';
import { sys } from '../../sys/native.js';
import type { Engine } from '../engine.js';
import { containerPaths } from '../paths.js';
import { isEngineMountStub } from './mount-stubs.js';
import { imageLowerDirs } from './view.js';

export type ChangeKind = 'A' | 'C' | 'D';

export interface Change {
  kind: ChangeKind;
  /** absolute inside the container */
  path: string;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

const OPAQUE_XATTR = 'trusted.overlay.opaque';

const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

/** Whether the image (its layers, top-most first) has `rel`: the first layer that knows decides. */
function inLowerLayers(lowerDirs: string[], rel: string): boolean {
  for (const dir of lowerDirs) {
    const st = lstatOrUndefined(`${dir}${rel}`);
    if (st) return !isWhiteout(st);
  }
  return false;
}

const isOpaque = (native: XattrSys, dir: string): boolean => native.lgetxattr(dir, OPAQUE_XATTR)?.toString() === 'y';

/** What the image has in directory `rel`: each layer adds names until one hides what is below. */
function lowerNames(native: XattrSys, lowerDirs: string[], rel: string): Set<string> {
  const names = new Set<string>();
  for (const dir of lowerDirs) {
    const st = lstatOrUndefined(`${dir}${rel}`);
    if (!st) continue;
    if (!st.isDirectory()) break;
    for (const name of readdirSync(`${dir}${rel}`)) {
      const child = lstatSync(`${dir}${rel}/${name}`);
      if (!isWhiteout(child)) names.add(name);
    }
    if (isOpaque(native, `${dir}${rel}`)) break;
  }
  return names;
}

/** `native` reads the overlay's opaque marks (trusted.* xattrs, which only root can read). */
export function upperDirChanges(upperDir: string, lowerDirs: string[], native: XattrSys = sys()): Change[] {
  const changes: Change[] = [];
  /** Lists the changes in `rel`; false when it held nothing but the engine's stand-ins. */
  const walk = (rel: string): boolean => {
    const here = readdirSync(`${upperDir}${rel}`);
    // an opaque directory hides everything the image had in it: those are deletions too
    const hidden = rel !== '' && isOpaque(native, `${upperDir}${rel}`) ? [...lowerNames(native, lowerDirs, rel)].filter((n) => !here.includes(n)) : [];
    let onlyStubs = here.length > 0 && hidden.length === 0;
    for (const name of [...here, ...hidden].sort()) {
      const path = `${rel}/${name}`;
      if (isEngineMountStub(path)) continue;
      const st = hidden.includes(name) ? undefined : lstatSync(`${upperDir}${path}`);
      if (!st || isWhiteout(st)) {
        changes.push({ kind: 'D', path });
        onlyStubs = false;
        continue;
      }
      const change: Change = { kind: inLowerLayers(lowerDirs, path) ? 'C' : 'A', path };
      const at = changes.push(change) - 1;
      // a directory copied up only to hold a stand-in (/etc for /etc/hosts) is not a change
      if (st.isDirectory() && !walk(path) && change.kind === 'C') changes.splice(at, 1);
      else onlyStubs = false;
    }
    return !onlyStubs;
  };
  walk('');
  return changes;
}

export function containerChanges(engine: Engine, ref: string): Change[] {
  const rec = engine.containers.resolve(ref);
  const upper = containerPaths(engine.root, rec.id).upper;
  // a container created but never started has changed nothing yet
  return existsSync(upper) ? upperDirChanges(upper, imageLowerDirs(engine, rec.imageId)) : [];
}
