// The little of the DNS wire format (RFC 1035) the embedded resolver needs: the header and the
// single question of a query, and answers with A records or an empty answer with a response code.
import { VesselError } from '../../vessel-error.js';

export const DNS_TYPE = { A: 1, AAAA: 28 } as const;
export const DNS_CLASS_IN = 1;
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const HEADER_LEN = 12;
const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_RD = 0x0100;
const FLAG_RA = 0x0080;
const OPCODE_MASK = 0x7800;

export interface DnsQuestion {
  id: number;
  flags: number;
  /** Lower-case, without the trailing dot. */
  name: string;
  type: number;
  class: number;
  /** The question section exactly as received, copied into the answer. */
  raw: Buffer;
}

export class DnsFormatError extends VesselError {
  readonly code = 'DNS_FORMAT';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
  }
}

/** Parses a standard query with exactly one question; throws DnsFormatError otherwise. */
export function parseQuery(msg: Buffer): DnsQuestion {
  if (msg.length < HEADER_LEN) throw new DnsFormatError('message shorter than a header');
  const flags = msg.readUInt16BE(2);
  if (flags & FLAG_QR) throw new DnsFormatError('not a query');
  if (msg.readUInt16BE(4) !== 1) throw new DnsFormatError('expected exactly one question');
  const labels: string[] = [];
  let off = HEADER_LEN;
  for (;;) {
    const len = msg[off];
    if (len === undefined) throw new DnsFormatError('truncated name');
    off++;
    if (len === 0) break;
    if (len > 63) throw new DnsFormatError('compressed or oversized label in a question');
    if (off + len > msg.length) throw new DnsFormatError('truncated label');
    labels.push(msg.toString('latin1', off, off + len));
    off += len;
  }
  if (off + 4 > msg.length) throw new DnsFormatError('truncated question');
  return {
    id: msg.readUInt16BE(0),
    flags,
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(off),
    class: msg.readUInt16BE(off + 2),
    raw: msg.subarray(HEADER_LEN, off + 4),
  };
}

/** An authoritative answer to `q`: one A record per address (none for other types), or an error code. */
export function buildAnswer(q: DnsQuestion, addresses: number[], rcode: number, ttl = 600): Buffer {
  const header = Buffer.alloc(HEADER_LEN);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE(FLAG_QR | FLAG_AA | FLAG_RA | (q.flags & (OPCODE_MASK | FLAG_RD)) | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((ip) => {
    const rr = Buffer.alloc(16);
    // a pointer to the name in the question, which starts right after the header
    rr.writeUInt16BE(0xc000 | HEADER_LEN, 0);
    rr.writeUInt16BE(DNS_TYPE.A, 2);
    rr.writeUInt16BE(DNS_CLASS_IN, 4);
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(4, 10);
    rr.writeUInt32BE(ip >>> 0, 12);
    return rr;
  });
  return Buffer.concat([header, q.raw, ...records]);
}
