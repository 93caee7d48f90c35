// Asking the upstream resolvers about a name the embedded resolver does not know, over the
// protocol the container used (a reply too large for UDP comes back truncated and the container
// retries over TCP, which then goes upstream over TCP too). Upstreams are tried in order.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { framed, onMessages } from './stream.js';

export const FORWARD_TIMEOUT_MS = 2000;
export type DnsTransport = 'udp' | 'tcp';

function askUdp(query: Buffer, server: string, port: number, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const done = (reply: Buffer | null) => {
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    // a reply to another query (a late one, or a spoofed one) is not this query's answer
    sock.on('message', (reply) => reply.length >= 2 && reply.readUInt16BE(0) === query.readUInt16BE(0) && done(reply));
    sock.once('error', () => done(null));
    // connected, so an upstream with nothing listening fails at once (ICMP) instead of timing out
    sock.connect(port, server, () => sock.send(query));
  });
}

function askTcp(query: Buffer, server: string, port: number, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = connect({ host: server, port });
    const done = (reply: Buffer | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.once('connect', () => sock.write(framed(query)));
    onMessages(sock, (reply) => done(Buffer.from(reply)));
    sock.once('error', () => done(null));
    sock.once('close', () => done(null));
  });
}

const ASK = { udp: askUdp, tcp: askTcp } as const;

/** The first upstream's reply, or null when none answered. */
export async function forward(query: Buffer, upstreams: string[], transport: DnsTransport, port = 53, timeoutMs = FORWARD_TIMEOUT_MS): Promise<Buffer | null> {
  for (const server of upstreams) {
    const reply = await ASK[transport](query, server, port, timeoutMs);
    if (reply) return reply;
  }
  return null;
}
