// Turning a tar entry's name into path components below the destination, lexically. Absolute names
// lose their leading slashes (as docker and containerd do: a rootfs tarball made with `tar -P`
// still unpacks inside the destination); `..` that would climb above the destination is refused.
import { LayerError, type LayerErrorCode } from './errors.js';

export function entryComponents(name: string, escapeCode: LayerErrorCode = 'LAYER_PATH_ESCAPE'): string[] {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new LayerError(escapeCode, `tar entry path ${JSON.stringify(name)} climbs out of the destination`, name);
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
/** AUFS bookkeeping names (`.wh..wh.plnk`, `.wh..wh.aufs`): never content, skipped. */
export const AUFS_META_PREFIX = '.wh..wh.';

export type WhiteoutKind = { kind: 'none' } | { kind: 'opaque' } | { kind: 'aufs-meta' } | { kind: 'whiteout'; hidden: string };

/** What an entry's base name means in the OCI/AUFS whiteout convention. */
export function whiteoutOf(base: string, entryName: string): WhiteoutKind {
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: 'none' };
  if (base === OPAQUE_WHITEOUT) return { kind: 'opaque' };
  if (base.startsWith(AUFS_META_PREFIX)) return { kind: 'aufs-meta' };
  const hidden = base.slice(WHITEOUT_PREFIX.length);
  if (hidden === '' || hidden === '.' || hidden === '..') {
    throw new LayerError('LAYER_PATH_ESCAPE', `whiteout ${JSON.stringify(entryName)} names no file`, entryName);
  }
  return { kind: 'whiteout', hidden };
}
