// Docker image references: parsing and normalisation (`busybox` -> docker.io/library/busybox:latest).
import { ImageError } from './errors.js';

export const DEFAULT_REGISTRY = 'docker.io';
export const DEFAULT_TAG = 'latest';

export interface ImageReference {
  /** Registry host[:port], normalised (index.docker.io -> docker.io). */
  registry: string;
  /** Path inside the registry, e.g. library/busybox. */
  repository: string;
  tag?: string;
  /** algorithm:hex */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

function invalid(input: string, why: string): ImageError {
  return new ImageError('INVALID_REFERENCE', `invalid reference format "${input}": ${why}`, input);
}

function looksLikeDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/**
 * Parses a reference and fills in docker's defaults. With `defaultTag` false, a reference with
 * neither tag nor digest keeps both unset (for `images busybox`, which matches every tag).
 */
export function parseReference(input: string, opts: { defaultTag?: boolean } = {}): ImageReference {
  if (input.length === 0 || input.length > 255 + 128 + 80) throw invalid(input, 'empty or too long');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, 'bad digest');
    if (digest.startsWith('sha256:') && !SHA256_DIGEST.test(digest)) throw invalid(input, 'bad sha256 digest');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(input, 'bad tag');
  }
  const parts = rest.split('/');
  let registry = DEFAULT_REGISTRY;
  if (parts.length > 1 && looksLikeDomain(parts[0]!)) {
    registry = parts.shift()!;
    if (!DOMAIN.test(registry)) throw invalid(input, 'bad registry host');
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DEFAULT_REGISTRY;
  for (const p of parts) {
    if (!COMPONENT.test(p)) {
      throw invalid(input, /[A-Z]/.test(p) ? 'repository name must be lowercase' : `bad path component "${p}"`);
    }
  }
  if (registry === DEFAULT_REGISTRY && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (repository.length > 255) throw invalid(input, 'repository name too long');
  if (tag === undefined && digest === undefined && opts.defaultTag !== false) tag = DEFAULT_TAG;
  const ref: ImageReference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** docker.io/library/busybox */
export function repositoryName(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Fully qualified: docker.io/library/busybox:latest, host:5000/a/b@sha256:... */
export function formatReference(ref: ImageReference): string {
  let s = repositoryName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The short form docker shows: busybox, user/app, host:5000/a/b. */
export function familiarRepository(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  if (ref.registry !== DEFAULT_REGISTRY) return repositoryName(ref);
  return ref.repository.startsWith('library/') && ref.repository.split('/').length === 2
    ? ref.repository.slice('library/'.length)
    : ref.repository;
}

export function familiarReference(ref: ImageReference): string {
  let s = familiarRepository(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** Docker Hub's API lives on another host than its name. */
export function registryEndpointHost(registry: string): string {
  return registry === DEFAULT_REGISTRY ? 'registry-1.docker.io' : registry;
}
