// The tar header: one 512-byte ustar block, extended by GNU long-name blocks and PAX records.
// Decoding accepts ustar, GNU and PAX; encoding writes ustar and adds a PAX header only when a
// field does not fit (the same rule Go's archive/tar follows, so layers stay byte-stable).
import { LayerError } from './errors.js';

export const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarHeader {
  /** As stored: relative or absolute, possibly with `./` or a trailing `/` (never trusted). */
  name: string;
  type: TarEntryType;
  /** Permission bits including setuid, setgid and sticky (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Bytes of content that follow the header (0 for everything but files). */
  size: number;
  /** Seconds since the epoch; fractional when a PAX header carried fractions. */
  mtime: number;
  atime?: number;
  /** Symlink target or hard link target. */
  linkname: string;
  devMajor: number;
  devMinor: number;
  /** Extended attributes (PAX SCHILY.xattr.* or LIBARCHIVE.xattr.*). */
  xattrs: Map<string, Buffer>;
}

/** Type flags of entries that carry data or become files; the rest are header-only. */
const typeByFlag: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
};
const flagByType: Record<TarEntryType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
};

/** Flags of the meta entries that describe the next entry rather than being one. */
export const MetaFlag = { PAX: 'x', PAX_GLOBAL: 'g', GNU_LONG_NAME: 'L', GNU_LONG_LINK: 'K' } as const;

/** The raw fields of one header block, before PAX and GNU extensions are applied. */
export interface RawHeader {
  flag: string;
  name: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  uname: string;
  gname: string;
  devMajor: number;
  devMinor: number;
}

function cString(block: Buffer, start: number, len: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

/** Octal with NUL/space padding, or GNU base-256 when the top bit of the first byte is set. */
function number(block: Buffer, start: number, len: number, field: string, entry: string): number {
  const first = block[start]!;
  if (first & 0x80) {
    const negative = first === 0xff;
    let value = negative ? 0 : first & 0x7f;
    for (let i = 1; i < len; i++) value = value * 256 + (negative ? 255 - block[start + i]! : block[start + i]!);
    if (negative) value = -(value + 1);
    if (!Number.isSafeInteger(value)) throw new LayerError('LAYER_BAD_TAR', `tar header field ${field} of ${entry} is out of range`, entry);
    return value;
  }
  let value = 0;
  let i = start;
  const end = start + len;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) throw new LayerError('LAYER_BAD_TAR', `tar header field ${field} of ${entry} is not octal`, entry);
    value = value * 8 + (c - 0x30);
  }
  return value;
}

function checksumOf(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

export function decodeRawHeader(block: Buffer): RawHeader {
  const shortName = cString(block, 0, 100);
  const stored = number(block, 148, 8, 'chksum', shortName);
  const sum = checksumOf(block);
  if (stored !== sum.unsigned && stored !== sum.signed) {
    throw new LayerError('LAYER_BAD_TAR', `tar header checksum mismatch at entry ${JSON.stringify(shortName)}`, shortName);
  }
  // POSIX ustar ("ustar\0" "00") has a name prefix field; old GNU ("ustar  \0") uses those bytes otherwise
  const posix = block.toString('latin1', 257, 263) === 'ustar\0';
  const prefix = posix ? cString(block, 345, 155) : '';
  const name = prefix ? `${prefix}/${shortName}` : shortName;
  const flag = String.fromCharCode(block[156]!);
  return {
    flag,
    name,
    linkname: cString(block, 157, 100),
    mode: number(block, 100, 8, 'mode', name) & 0o7777,
    uid: number(block, 108, 8, 'uid', name),
    gid: number(block, 116, 8, 'gid', name),
    size: number(block, 124, 12, 'size', name),
    mtime: number(block, 136, 12, 'mtime', name),
    uname: cString(block, 265, 32),
    gname: cString(block, 297, 32),
    devMajor: number(block, 329, 8, 'devmajor', name),
    devMinor: number(block, 337, 8, 'devminor', name),
  };
}

/** PAX records, values kept as bytes: xattr values are binary (security.capability). */
export type PaxRecords = Map<string, Buffer>;

export function parsePax(data: Buffer, entry: string): PaxRecords {
  const records: PaxRecords = new Map();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break;
    const space = data.indexOf(0x20, pos);
    const len = space === -1 ? NaN : Number(data.toString('latin1', pos, space));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length || data[pos + len - 1] !== 0x0a) {
      throw new LayerError('LAYER_BAD_TAR', `malformed PAX record in ${entry}`, entry);
    }
    const eq = data.indexOf(0x3d, space + 1);
    if (eq === -1 || eq >= pos + len) throw new LayerError('LAYER_BAD_TAR', `malformed PAX record in ${entry}`, entry);
    records.set(data.toString('utf8', space + 1, eq), data.subarray(eq + 1, pos + len - 1));
    pos += len;
  }
  return records;
}

function paxNumber(value: Buffer, key: string, entry: string): number {
  const n = Number(value.toString('latin1'));
  if (!Number.isFinite(n)) throw new LayerError('LAYER_BAD_TAR', `PAX ${key} of ${entry} is not a number`, entry);
  return n;
}

/** Applies PAX records (global first, then the entry's own) and GNU long names to a raw header. */
export function buildHeader(raw: RawHeader, pax: PaxRecords, longName: string | undefined, longLink: string | undefined): TarHeader {
  const type = typeByFlag[raw.flag];
  const name = pax.get('path')?.toString('utf8') ?? longName ?? raw.name;
  if (!type) {
    throw new LayerError('LAYER_UNSUPPORTED_ENTRY', `tar entry ${JSON.stringify(name)} has unsupported type ${JSON.stringify(raw.flag)}`, name);
  }
  const header: TarHeader = {
    name,
    type,
    mode: raw.mode,
    uid: raw.uid,
    gid: raw.gid,
    uname: raw.uname,
    gname: raw.gname,
    size: type === 'file' ? raw.size : 0,
    mtime: raw.mtime,
    linkname: pax.get('linkpath')?.toString('utf8') ?? longLink ?? raw.linkname,
    devMajor: raw.devMajor,
    devMinor: raw.devMinor,
    xattrs: new Map(),
  };
  for (const [key, value] of pax) {
    if (key.startsWith('SCHILY.xattr.')) header.xattrs.set(key.slice(13), value);
    else if (key.startsWith('LIBARCHIVE.xattr.')) header.xattrs.set(decodeURIComponent(key.slice(17)), Buffer.from(value.toString('latin1'), 'base64'));
    else if (key.startsWith('GNU.sparse.')) {
      throw new LayerError('LAYER_UNSUPPORTED_ENTRY', `tar entry ${JSON.stringify(name)} is a sparse file`, name);
    } else if (key === 'size' && type === 'file') header.size = paxNumber(value, key, name);
    else if (key === 'uid') header.uid = paxNumber(value, key, name);
    else if (key === 'gid') header.gid = paxNumber(value, key, name);
    else if (key === 'mtime') header.mtime = paxNumber(value, key, name);
    else if (key === 'atime') header.atime = paxNumber(value, key, name);
    else if (key === 'uname') header.uname = value.toString('utf8');
    else if (key === 'gname') header.gname = value.toString('utf8');
  }
  return header;
}

/** What a caller gives to encode an entry: only name and type are required. */
export type TarHeaderInput = Pick<TarHeader, 'name' | 'type'> & Partial<Omit<TarHeader, 'name' | 'type'>>;

const MAX_OCTAL_8 = 0o7777777;
const MAX_OCTAL_12 = 0o77777777777;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function writeOctal(block: Buffer, start: number, len: number, value: number): void {
  block.write(value.toString(8).padStart(len - 1, '0') + '\0', start, len, 'latin1');
}

function writeString(block: Buffer, start: number, len: number, value: string): void {
  block.write(value, start, len, 'utf8');
}

/** Splits a long ASCII name into ustar prefix and name at a `/`, or returns null. */
function splitUstarName(name: string): { prefix: string; name: string } | null {
  if (name.length <= 100) return { prefix: '', name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return { prefix: name.slice(0, i), name: name.slice(i + 1) };
    if (i < 155) break;
  }
  return null;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length > len) len++;
  return Buffer.concat([Buffer.from(String(len), 'latin1'), body]);
}

function ustarBlock(h: TarHeaderInput & { flag: string; name: string; prefix: string; linkname: string; size: number; mtime: number }): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, h.name);
  writeOctal(block, 100, 8, (h.mode ?? 0o644) & 0o7777);
  writeOctal(block, 108, 8, h.uid ?? 0);
  writeOctal(block, 116, 8, h.gid ?? 0);
  writeOctal(block, 124, 12, h.size);
  writeOctal(block, 136, 12, h.mtime);
  block.fill(0x20, 148, 156);
  block.write(h.flag, 156, 1, 'latin1');
  writeString(block, 157, 100, h.linkname);
  block.write('ustar\x0000', 257, 8, 'latin1');
  writeString(block, 265, 32, h.uname ?? '');
  writeString(block, 297, 32, h.gname ?? '');
  if (h.type === 'char' || h.type === 'block') {
    writeOctal(block, 329, 8, h.devMajor ?? 0);
    writeOctal(block, 337, 8, h.devMinor ?? 0);
  }
  writeString(block, 345, 155, h.prefix);
  writeOctal(block, 148, 7, checksumOf(block).unsigned);
  block[155] = 0x20;
  return block;
}

export function padTo(len: number): number {
  return (BLOCK - (len % BLOCK)) % BLOCK;
}

/** The header blocks for one entry: a PAX header first when a field does not fit ustar. */
export function encodeHeader(input: TarHeaderInput): Buffer {
  const name = input.type === 'directory' && !input.name.endsWith('/') ? `${input.name}/` : input.name;
  const linkname = input.linkname ?? '';
  const size = input.type === 'file' ? (input.size ?? 0) : 0;
  const mtime = Math.floor(input.mtime ?? 0);
  const records: Buffer[] = [];
  const split = isAscii(name) ? splitUstarName(name) : null;
  if (!split) records.push(paxRecord('path', Buffer.from(name, 'utf8')));
  if (linkname.length > 100 || !isAscii(linkname)) records.push(paxRecord('linkpath', Buffer.from(linkname, 'utf8')));
  if (size > MAX_OCTAL_12) records.push(paxRecord('size', Buffer.from(String(size))));
  if ((input.uid ?? 0) > MAX_OCTAL_8) records.push(paxRecord('uid', Buffer.from(String(input.uid))));
  if ((input.gid ?? 0) > MAX_OCTAL_8) records.push(paxRecord('gid', Buffer.from(String(input.gid))));
  if (mtime < 0 || mtime > MAX_OCTAL_12) records.push(paxRecord('mtime', Buffer.from(String(mtime))));
  for (const [key, value] of [...(input.xattrs ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : 1))) {
    records.push(paxRecord(`SCHILY.xattr.${key}`, value));
  }
  const main = ustarBlock({
    ...input,
    flag: flagByType[input.type],
    name: split ? split.name : name.slice(0, 100),
    prefix: split ? split.prefix : '',
    linkname: linkname.length > 100 ? linkname.slice(0, 100) : linkname,
    size: size > MAX_OCTAL_12 ? 0 : size,
    mtime: mtime < 0 || mtime > MAX_OCTAL_12 ? 0 : mtime,
    uid: (input.uid ?? 0) > MAX_OCTAL_8 ? 0 : input.uid,
    gid: (input.gid ?? 0) > MAX_OCTAL_8 ? 0 : input.gid,
  });
  if (records.length === 0) return main;
  const paxData = Buffer.concat(records);
  const base = name.replace(/\/+$/, '').split('/').pop() ?? '';
  const paxHeader = ustarBlock({
    name: `PaxHeaders.0/${base}`.slice(0, 100),
    type: 'file',
    flag: MetaFlag.PAX,
    prefix: '',
    linkname: '',
    size: paxData.length,
    mtime: 0,
    mode: 0o644,
  });
  return Buffer.concat([paxHeader, paxData, Buffer.alloc(padTo(paxData.length)), main]);
}
