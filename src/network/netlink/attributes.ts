// Netlink attributes (struct nlattr): 4-byte header, payload padded to 4 bytes.

export const NLA_F_NESTED = 0x8000;
const NLA_TYPE_MASK = 0x3fff;

export type Attribute = { type: number; value: Buffer };

const align4 = (n: number): number => (n + 3) & ~3;

export function encodeAttributes(attrs: Attribute[]): Buffer {
  const parts: Buffer[] = [];
  for (const a of attrs) {
    const header = Buffer.alloc(4);
    header.writeUInt16LE(4 + a.value.length, 0);
    header.writeUInt16LE(a.type, 2);
    parts.push(header, a.value, Buffer.alloc(align4(a.value.length) - a.value.length));
  }
  return Buffer.concat(parts);
}

export const attr = {
  u8: (type: number, v: number): Attribute => ({ type, value: Buffer.from([v]) }),
  u32: (type: number, v: number): Attribute => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return { type, value: b };
  },
  /** NUL-terminated, as the kernel expects for names. */
  string: (type: number, s: string): Attribute => ({ type, value: Buffer.concat([Buffer.from(s), Buffer.alloc(1)]) }),
  bytes: (type: number, value: Buffer): Attribute => ({ type, value }),
  nested: (type: number, children: Attribute[]): Attribute => ({ type: type | NLA_F_NESTED, value: encodeAttributes(children) }),
};

/** Decodes a run of attributes into a map by type (the last one wins for repeated types). */
export function decodeAttributes(buf: Buffer, offset = 0): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  while (offset + 4 <= buf.length) {
    const len = buf.readUInt16LE(offset);
    if (len < 4 || offset + len > buf.length) break;
    out.set(buf.readUInt16LE(offset + 2) & NLA_TYPE_MASK, buf.subarray(offset + 4, offset + len));
    offset += align4(len);
  }
  return out;
}

export const read = {
  string: (b: Buffer | undefined): string | undefined => (b ? b.toString('utf8', 0, b.indexOf(0) >= 0 ? b.indexOf(0) : b.length) : undefined),
  u32: (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? b.readUInt32LE(0) : undefined),
  u8: (b: Buffer | undefined): number | undefined => (b && b.length >= 1 ? b.readUInt8(0) : undefined),
};
