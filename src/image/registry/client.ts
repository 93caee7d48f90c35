// A client for the OCI distribution API of one registry: manifests, blobs, uploads and mounts,
// with anonymous, Bearer-token (from WWW-Authenticate) and Basic authentication.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ImageError } from '../errors.js';
import { ACCEPT_ALL, manifestMediaType, sha256Digest } from '../manifest.js';
import { registryEndpointHost } from '../reference.js';
import { parseChallenge, type Challenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { drain, readBody, send, type HttpRequest, type HttpResponse } from './transport.js';

export interface RegistryOptions {
  /** false: accept self-signed certificates and fall back to plain http */
  tlsVerify?: boolean;
  credentials?: Credentials;
}

export interface FetchedManifest {
  body: Buffer;
  mediaType: string;
  digest: string;
}

type Method = HttpRequest['method'];

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;
const TLS_FAILURE = /SSL|TLS|EPROTO|wrong version number|ECONNRESET/i;

export function isLoopbackRegistry(registry: string): boolean {
  return LOOPBACK.test(registry);
}

export class RegistryClient {
  readonly host: string;
  private scheme: 'https' | 'http';
  private readonly tlsVerify: boolean;
  private readonly tokens = new Map<string, string>();
  private bearer?: Challenge;
  private basic?: string;

  constructor(
    readonly registry: string,
    private readonly opts: RegistryOptions = {},
  ) {
    this.host = registryEndpointHost(registry);
    // docker's rule for loopback registries: insecure by default, https without verification
    // first, then plain http
    this.tlsVerify = opts.tlsVerify ?? !isLoopbackRegistry(this.host);
    this.scheme = 'https';
  }

  private url(path: string): URL {
    return new URL(`${this.scheme}://${this.host}/v2/${path}`);
  }

  private authHeader(scope: string): string | undefined {
    const token = this.tokens.get(scope);
    if (token) return `Bearer ${token}`;
    return this.basic;
  }

  private async sendWithFallback(req: HttpRequest): Promise<HttpResponse> {
    try {
      return await send(req);
    } catch (err) {
      const cause = (err as ImageError).cause as Error | undefined;
      if (this.tlsVerify || req.url.protocol !== 'https:' || !TLS_FAILURE.test(`${cause?.message} ${(cause as NodeJS.ErrnoException)?.code}`)) throw err;
      this.scheme = 'http';
      const url = new URL(req.url.href);
      url.protocol = 'http:';
      return send({ ...req, url });
    }
  }

  /** A request to `/v2/<path>` (or an absolute upload URL), authenticating on a 401 challenge. */
  async call(
    method: Method,
    pathOrUrl: string | URL,
    scope: string,
    init: { headers?: Record<string, string>; body?: () => Buffer | Readable } = {},
  ): Promise<HttpResponse> {
    if (!this.tokens.has(scope) && this.bearer) await this.fetchToken(this.bearer, scope);
    const build = (): HttpRequest => {
      const url = typeof pathOrUrl === 'string' ? this.url(pathOrUrl) : new URL(pathOrUrl.href);
      if (typeof pathOrUrl !== 'string') url.protocol = `${this.scheme}:`;
      const headers = { ...init.headers };
      const auth = this.authHeader(scope);
      if (auth) headers.Authorization = auth;
      return { method, url, headers, tlsVerify: this.tlsVerify, ...(init.body ? { body: init.body } : {}) };
    };
    const first = build();
    let res = await this.sendWithFallback(first);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(String(res.headers['www-authenticate'] ?? ''));
    await drain(res);
    if (!challenge) throw this.unauthorized(scope, 'no WWW-Authenticate challenge');
    if (challenge.scheme === 'bearer') {
      this.bearer = challenge;
      await this.fetchToken(challenge, scope);
    } else if (challenge.scheme === 'basic') {
      if (!this.opts.credentials) throw this.unauthorized(scope, 'authentication required (vessel login)');
      // a parallel request may have learned the scheme meanwhile; only our own Basic header failing is a rejection
      if (first.headers?.Authorization === basicHeader(this.opts.credentials)) throw this.unauthorized(scope, 'credentials rejected');
      this.basic = basicHeader(this.opts.credentials);
    } else {
      throw this.unauthorized(scope, `unsupported auth scheme ${challenge.scheme}`);
    }
    res = await this.sendWithFallback(build());
    if (res.status === 401) {
      await drain(res);
      throw this.unauthorized(scope, 'credentials rejected');
    }
    return res;
  }

  private unauthorized(scope: string, why: string): ImageError {
    return new ImageError('REGISTRY_UNAUTHORIZED', `${this.registry}: unauthorized for ${scope || 'registry'}: ${why}`, this.registry);
  }

  private async fetchToken(challenge: Challenge, scope: string): Promise<void> {
    const realm = challenge.params.realm;
    if (!realm) throw this.unauthorized(scope, 'Bearer challenge without realm');
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const s of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (this.opts.credentials) headers.Authorization = basicHeader(this.opts.credentials);
    const res = await send({ method: 'GET', url, headers, tlsVerify: this.tlsVerify });
    const body = await readBody(res, 1 << 20);
    if (res.status !== 200) throw this.unauthorized(scope, `token server answered ${res.status}: ${body.toString('utf8').slice(0, 200)}`);
    const json = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw this.unauthorized(scope, 'token server returned no token');
    this.tokens.set(scope, token);
  }

  private async fail(res: HttpResponse, what: string): Promise<never> {
    const text = (await readBody(res, 1 << 20).catch(() => Buffer.alloc(0))).toString('utf8');
    let detail = text.slice(0, 300);
    try {
      const errs = (JSON.parse(text) as { errors?: { code: string; message: string }[] }).errors;
      if (errs?.length) detail = errs.map((e) => `${e.code}: ${e.message}`).join('; ');
    } catch {
      // not JSON: keep the raw text
    }
    const code = res.status === 404 ? 'IMAGE_NOT_FOUND' : res.status === 401 || res.status === 403 ? 'REGISTRY_UNAUTHORIZED' : 'REGISTRY_HTTP';
    throw new ImageError(code, `${what}: ${this.registry} answered ${res.status}${detail ? ` (${detail})` : ''}`, what);
  }

  /** Checks that the registry answers and accepts our credentials (for `login`). */
  async ping(): Promise<void> {
    const res = await this.call('GET', '', '');
    if (res.status !== 200) return this.fail(res, 'ping');
    await drain(res);
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.call('GET', `${repository}/manifests/${reference}`, pullScope(repository), { headers: { Accept: ACCEPT_ALL } });
    if (res.status !== 200) return this.fail(res, `manifest ${repository}:${reference}`);
    const body = await readBody(res);
    const digest = sha256Digest(body);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new ImageError('DIGEST_MISMATCH', `manifest ${repository}@${reference} has digest ${digest}`, reference);
    }
    return { body, digest, mediaType: manifestMediaType(body, String(res.headers['content-type'] ?? '').split(';')[0]) };
  }

  /** The blob's bytes as a stream; the caller verifies the digest while storing it. */
  async getBlob(repository: string, digest: string): Promise<Readable> {
    const res = await this.call('GET', `${repository}/blobs/${digest}`, pullScope(repository));
    if (res.status !== 200) return this.fail(res, `blob ${digest}`);
    return res.body;
  }

  async getBlobBuffer(repository: string, digest: string): Promise<Buffer> {
    const res = await this.call('GET', `${repository}/blobs/${digest}`, pullScope(repository));
    if (res.status !== 200) return this.fail(res, `blob ${digest}`);
    const body = await readBody(res);
    if (sha256Digest(body) !== digest) throw new ImageError('DIGEST_MISMATCH', `blob ${digest} has digest ${sha256Digest(body)}`, digest);
    return body;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.call('HEAD', `${repository}/blobs/${digest}`, pushScope(repository));
    await drain(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `blob ${digest}`);
  }

  /**
   * Asks the registry to link a blob it already holds in `from` into `repository`. Returns the
   * upload URL when it refused (so the caller can upload there), or undefined when mounted.
   */
  private async startUpload(repository: string, mount?: { digest: string; from: string }): Promise<URL | undefined> {
    const query = mount ? `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}` : '';
    const scope = mount ? `${pushScope(repository)} ${pullScope(mount.from)}` : pushScope(repository);
    const res = await this.call('POST', `${repository}/blobs/uploads/${query}`, scope, { body: () => Buffer.alloc(0) });
    await drain(res);
    if (res.status === 201 && mount) return undefined;
    if (res.status !== 202 || !res.headers.location) return this.fail(res, `upload to ${repository}`);
    return new URL(res.headers.location, this.url(''));
  }

  /** Returns true when the registry mounted the blob from `from` without an upload. */
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const location = await this.startUpload(repository, { digest, from });
    if (!location) return true;
    // abandon the upload session the registry opened instead
    const res = await this.call('DELETE', location, pushScope(repository)).catch(() => undefined);
    if (res) await drain(res);
    return false;
  }

  /** Monolithic upload: one POST to open the session, one PUT with the whole blob and its digest. */
  async uploadBlob(repository: string, blob: { digest: string; size: number; path: string }): Promise<void> {
    const location = await this.startUpload(repository);
    location!.searchParams.set('digest', blob.digest);
    const res = await this.call('PUT', location!, pushScope(repository), {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) },
      body: () => createReadStream(blob.path),
    });
    if (res.status !== 201) return this.fail(res, `upload of ${blob.digest}`);
    await drain(res);
  }

  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const res = await this.call('PUT', `${repository}/manifests/${reference}`, pushScope(repository), {
      headers: { 'Content-Type': mediaType },
      body: () => body,
    });
    if (res.status !== 201 && res.status !== 200) return this.fail(res, `manifest ${repository}:${reference}`);
    await drain(res);
    return sha256Digest(body);
  }
}

function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}
