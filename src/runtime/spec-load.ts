// Reads and checks a bundle's config.json.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Spec } from '../oci/spec.js';
import { invalidConfig } from './errors.js';

export interface Bundle {
  path: string;
  spec: Spec;
  rootfs: string;
}

export function loadBundle(bundleDir: string): Bundle {
  const path = resolve(bundleDir);
  let text: string;
  try {
    text = readFileSync(join(path, 'config.json'), 'utf8');
  } catch (e) {
    throw invalidConfig(`cannot read ${join(path, 'config.json')}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  let spec: Spec;
  try {
    spec = JSON.parse(text) as Spec;
  } catch (e) {
    throw invalidConfig(`${join(path, 'config.json')} is not valid JSON: ${(e as Error).message}`);
  }
  validateSpec(spec);
  const rootfs = isAbsolute(spec.root!.path) ? spec.root!.path : join(path, spec.root!.path);
  try {
    if (!statSync(rootfs).isDirectory()) throw invalidConfig(`root.path ${rootfs} is not a directory`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw invalidConfig(`root.path ${rootfs}: ${(e as NodeJS.ErrnoException).code}`);
    throw e;
  }
  return { path, spec, rootfs };
}

export function validateSpec(spec: Spec): void {
  if (typeof spec !== 'object' || spec === null) throw invalidConfig('the document is not an object');
  if (typeof spec.ociVersion !== 'string' || !/^1\.\d+\.\d+/.test(spec.ociVersion)) {
    throw invalidConfig(`ociVersion "${spec.ociVersion}" is not a supported 1.x version`);
  }
  if (!spec.root?.path) throw invalidConfig('root.path is required');
  const p = spec.process;
  if (p) {
    if (!p.user || typeof p.user.uid !== 'number' || typeof p.user.gid !== 'number') throw invalidConfig('process.user.uid and gid are required numbers');
    if (typeof p.cwd !== 'string' || !p.cwd.startsWith('/')) throw invalidConfig('process.cwd must be an absolute path');
    if (!Array.isArray(p.args) || p.args.length === 0) throw invalidConfig('process.args must be a non-empty list');
    for (const e of p.env ?? []) if (!e.includes('=')) throw invalidConfig(`process.env entry "${e}" is not KEY=VALUE`);
  }
  for (const m of spec.mounts ?? []) {
    if (typeof m.destination !== 'string' || !m.destination.startsWith('/')) throw invalidConfig(`mount destination "${m.destination}" must be absolute`);
  }
}
