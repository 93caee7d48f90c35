// One request as a handler sees it: its parameters, its body, and the ways to answer: a JSON or
// empty answer, a stream of JSON objects, or taking over the connection (attach, exec). Requests
// that arrive through the HTTP Upgrade path have no ServerResponse; their answers are written to
// the socket directly, so handlers need not care which way a request came.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { ApiError } from './errors.js';
import { Query } from './query.js';
import { hijackAnswer, streamType, type Hijacked } from './streams/hijack.js';
import { JsonStream } from './streams/json-stream.js';

/** JSON bodies larger than this are refused (archives and build contexts are streamed, not read whole). */
export const MAX_JSON_BODY = 8 * 1024 * 1024;

export interface Upgraded {
  socket: Duplex;
  head: Buffer;
}

export class RequestContext {
  /** set once an answer has started: errors after that can only close the connection */
  answered = false;

  constructor(
    readonly req: IncomingMessage,
    private readonly res: ServerResponse | undefined,
    private readonly upgraded: Upgraded | undefined,
    readonly path: string,
    readonly version: string,
    readonly params: Record<string, string>,
    readonly query: Query,
    private readonly commonHeaders: Record<string, string>,
  ) {}

  get method(): string {
    return this.req.method ?? 'GET';
  }

  param(name: string): string {
    const v = this.params[name];
    if (v === undefined) throw new Error(`route has no parameter ${name}`);
    return v;
  }

  /** The request body, at most `limit` bytes. */
  async body(limit = MAX_JSON_BODY): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new ApiError('invalidParameter', `request body too large: more than ${limit} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /** The body parsed as JSON; an empty body is `fallback`. */
  async json<T>(fallback?: T): Promise<T> {
    const raw = await this.body();
    if (raw.length === 0) {
      if (fallback !== undefined) return fallback;
      throw ApiError.invalid('request body is empty: a JSON object is required');
    }
    try {
      return JSON.parse(raw.toString('utf8')) as T;
    } catch (e) {
      throw ApiError.invalid(`invalid JSON in the request body: ${(e as Error).message}`);
    }
  }

  send(status: number, body?: string | Buffer, contentType = 'application/json', extra: Record<string, string> = {}): void {
    this.answered = true;
    const headers: Record<string, string | number> = { ...this.commonHeaders, ...extra };
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (payload) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = payload.length;
    } else if (status !== 204 && status !== 304) {
      headers['Content-Length'] = 0;
    }
    if (this.res) {
      this.res.writeHead(status, headers);
      this.res.end(this.method === 'HEAD' ? undefined : payload);
      return;
    }
    const socket = this.upgraded!.socket;
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}Connection: close\r\n\r\n`);
    socket.end(payload);
  }

  reply(status: number, value: unknown): void {
    this.send(status, `${JSON.stringify(value)}\n`);
  }

  noContent(status = 204): void {
    this.send(status);
  }

  error(status: number, message: string): void {
    this.reply(status, { message });
  }

  /** A chunked stream of JSON objects. */
  stream(): JsonStream {
    if (!this.res) throw ApiError.invalid('this endpoint does not take an upgraded connection');
    this.answered = true;
    for (const [k, v] of Object.entries(this.commonHeaders)) this.res.setHeader(k, v);
    return new JsonStream(this.res);
  }

  /** A chunked body the handler writes itself (logs, export, archives). */
  raw(status: number, contentType: string, extra: Record<string, string> = {}): ServerResponse {
    if (!this.res) throw ApiError.invalid('this endpoint does not take an upgraded connection');
    this.answered = true;
    this.res.writeHead(status, { ...this.commonHeaders, 'Content-Type': contentType, ...extra });
    return this.res;
  }

  /**
   * Takes the connection over for a raw (tty) or multiplexed stream. With `Upgrade: tcp` (docker's
   * CLI, dockerode's hijack) the answer is 101 and both directions are raw; without it the answer is
   * a 200 whose body is the stream, and nothing is read from the client (Node's HTTP parser still
   * owns that socket).
   */
  hijack(tty: boolean): Hijacked {
    this.answered = true;
    if (this.upgraded) {
      this.upgraded.socket.write(hijackAnswer(tty));
      return { socket: this.upgraded.socket, head: this.upgraded.head };
    }
    const res = this.res!;
    res.writeHead(200, { ...this.commonHeaders, 'Content-Type': streamType(tty) });
    const socket = new Duplex({
      read() {},
      write(chunk, _enc, done) {
        res.write(chunk, done);
      },
      final(done) {
        res.end(done);
      },
    });
    socket.push(null);
    res.on('close', () => socket.destroy());
    return { socket, head: Buffer.alloc(0) };
  }
}
