// HTTP(S) requests to a registry over node's own http/https with keep-alive, redirects (blob GETs
// are often redirected to storage) and retries with backoff on transient failures.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageError } from '../errors.js';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** a factory, so a retry can send the body again */
  body?: () => Buffer | Readable;
  /** verify TLS certificates (false for self-signed registries) */
  tlsVerify: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  url: URL;
  body: IncomingMessage;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
  httpsInsecure: new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false }),
};

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
export const RETRIES = 4;
const REQUEST_TIMEOUT_MS = 60_000;

export function isTransient(err: unknown): boolean {
  return TRANSIENT_CODES.has((err as NodeJS.ErrnoException)?.code ?? '');
}

export function backoffMs(attempt: number): number {
  return Math.min(4000, 150 * 2 ** attempt) * (0.75 + Math.random() / 2);
}

function sendOnce(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const mod = isHttps ? https : http;
    const agent = isHttps ? (req.tlsVerify ? agents.https : agents.httpsInsecure) : agents.http;
    const body = req.body?.();
    const headers: Record<string, string> = { 'User-Agent': 'vessel/0.1', ...req.headers };
    if (Buffer.isBuffer(body)) headers['Content-Length'] = String(body.length);
    const r = mod.request(req.url, { method: req.method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url: req.url, body: res }),
    );
    r.on('timeout', () => r.destroy(Object.assign(new Error(`timeout talking to ${req.url.host}`), { code: 'ETIMEDOUT' })));
    r.on('error', reject);
    if (body === undefined) r.end();
    else if (Buffer.isBuffer(body)) r.end(body);
    else {
      body.on('error', (e) => r.destroy(e));
      body.pipe(r);
    }
  });
}

/** Reads and discards a body so its keep-alive socket can be reused. */
export function drain(res: HttpResponse): Promise<void> {
  return new Promise((resolve) => {
    res.body.on('end', resolve).on('error', () => resolve()).resume();
  });
}

export async function readBody(res: HttpResponse, limit = 64 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res.body) {
    n += (c as Buffer).length;
    if (n > limit) throw new ImageError('REGISTRY_HTTP', `response from ${res.url.host} is larger than ${limit} bytes`, res.url.href);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Sends a request, following redirects (without credentials to another host) and retrying
 * network errors and 5xx/429 answers with exponential backoff.
 */
export async function send(req: HttpRequest): Promise<HttpResponse> {
  let current = req;
  for (let attempt = 0, redirects = 0; ; ) {
    let res: HttpResponse;
    try {
      res = await sendOnce(current);
    } catch (cause) {
      if (isTransient(cause) && attempt < RETRIES) {
        await sleep(backoffMs(attempt++));
        continue;
      }
      throw new ImageError('REGISTRY_UNREACHABLE', `cannot reach ${current.url.host}: ${(cause as Error).message}`, current.url.href, { cause });
    }
    if (TRANSIENT_STATUS.has(res.status) && attempt < RETRIES) {
      await drain(res);
      const retryAfter = Number(res.headers['retry-after']);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 10) * 1000 : backoffMs(attempt++));
      continue;
    }
    if ([301, 302, 303, 307, 308].includes(res.status) && res.headers.location && redirects < 10) {
      await drain(res);
      const next = new URL(res.headers.location, current.url);
      const headers = { ...current.headers };
      if (next.host !== current.url.host) delete headers.Authorization;
      const method = res.status === 303 ? 'GET' : current.method;
      current = { ...current, url: next, headers, method };
      redirects++;
      continue;
    }
    return res;
  }
}
