// Registry credentials saved by `vessel login`, in docker's config.json shape
// ({"auths": {"host": {"auth": base64(user:password)}}}) so skopeo/podman `--authfile` can read it.
// The file is created 0600 and replaced atomically.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ImageError } from '../errors.js';

export interface Credentials {
  username: string;
  password: string;
}

interface AuthFile {
  auths?: Record<string, { auth?: string }>;
  [k: string]: unknown;
}

function read(file: string): AuthFile {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as AuthFile;
  } catch (cause) {
    throw new ImageError('CREDENTIALS', `cannot read credentials file ${file}: ${(cause as Error).message}`, file, { cause });
  }
}

function write(file: string, content: AuthFile): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content, null, '\t') + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

// docker stores Docker Hub under its legacy index URL
function keysFor(registry: string): string[] {
  return registry === 'docker.io'
    ? ['docker.io', 'https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io']
    : [registry, `https://${registry}`, `http://${registry}`];
}

export function getCredentials(file: string, registry: string): Credentials | undefined {
  const auths = read(file).auths ?? {};
  for (const k of keysFor(registry)) {
    const auth = auths[k]?.auth;
    if (!auth) continue;
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) continue;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

export function saveCredentials(file: string, registry: string, creds: Credentials): void {
  const content = read(file);
  content.auths = { ...content.auths, [registry]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } };
  write(file, content);
}

/** Returns whether there was anything to remove. */
export function removeCredentials(file: string, registry: string): boolean {
  const content = read(file);
  const auths = content.auths ?? {};
  const present = keysFor(registry).filter((k) => k in auths);
  for (const k of present) delete auths[k];
  if (present.length > 0) write(file, { ...content, auths });
  return present.length > 0;
}
