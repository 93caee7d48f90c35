// The build context: a directory the Dockerfile's COPY/ADD read from, seen through .dockerignore
// (or the Dockerfile's own `<name>.dockerignore`). Every path a step names is resolved inside it:
// `..` past its root, absolute paths and symlinks that lead out of it are refused.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { BuildError } from './errors.js';

// a CommonJS module whose typings declare a default export: at run time the default import is
// already the factory
const ignore = ((dockerignore as unknown as { default?: typeof dockerignore.default }).default ?? dockerignore) as unknown as typeof dockerignore.default;

export interface ContextFile {
  /** path relative to the context root, `/`-separated, no leading `./` */
  rel: string;
  abs: string;
  stat: Stats;
}

export class BuildContext {
  private readonly ignored: (rel: string) => boolean;

  constructor(
    readonly root: string,
    ignorePatterns: string[] = [],
    /** a name for messages: `context` or `--build-context NAME` */
    readonly label = 'build context',
  ) {
    const ig = ignore().add(ignorePatterns);
    this.ignored = (rel) => rel !== '' && ig.ignores(rel);
  }

  /** The context dir with .dockerignore rules: `<dockerfile>.dockerignore` beside the Dockerfile wins. */
  static open(root: string, dockerfilePath?: string): BuildContext {
    if (!existsSync(root) || !lstatSync(root).isDirectory()) throw new BuildError('CONTEXT_NOT_FOUND', `unable to prepare context: path "${root}" not found`, root);
    const own = dockerfilePath ? `${dockerfilePath}.dockerignore` : undefined;
    const file = own && existsSync(own) ? own : join(root, '.dockerignore');
    const patterns = existsSync(file) ? readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) : [];
    return new BuildContext(realpathSync(root), patterns);
  }

  isIgnored(rel: string): boolean {
    return this.ignored(rel);
  }

  /** A source path as the Dockerfile wrote it -> a clean relative path, or an escape error. */
  clean(src: string, where: string): string {
    if (posix.isAbsolute(src)) {
      throw new BuildError('CONTEXT_ESCAPE', `${where}: source path "${src}" is absolute: COPY and ADD read only from the ${this.label}, give a path relative to it`, src);
    }
    const norm = posix.normalize(src).replace(/\/+$/, '');
    if (norm === '..' || norm.startsWith('../')) {
      throw new BuildError('CONTEXT_ESCAPE', `${where}: forbidden path outside the ${this.label}: ${src}`, src);
    }
    return norm === '.' ? '' : norm;
  }

  /** The real path of `rel`, which must stay inside the context once its symlinks are followed. */
  resolve(rel: string, where: string): string {
    const abs = join(this.root, rel);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (cause) {
      throw new BuildError('CONTEXT_NOT_FOUND', `${where}: "${rel || '.'}" not found in the ${this.label}`, rel, { cause });
    }
    if (real !== this.root && !real.startsWith(this.root + sep)) {
      throw new BuildError('CONTEXT_ESCAPE', `${where}: "${rel}" is a symlink that leads outside the ${this.label} (to ${real})`, rel);
    }
    return real;
  }

  /** Sources matching a pattern with docker's wildcards (`*`, `?`, `[…]`) per path component. */
  glob(pattern: string, where: string): string[] {
    const rel = this.clean(pattern, where);
    if (!/[*?[]/.test(rel)) {
      if (this.ignored(rel)) throw new BuildError('CONTEXT_NOT_FOUND', `${where}: "${rel}" not found in the ${this.label} (excluded by .dockerignore)`, rel);
      this.resolve(rel, where);
      return [rel];
    }
    const parts = rel.split('/');
    let matches = [''];
    for (const part of parts) {
      const re = componentRegex(part);
      const next: string[] = [];
      for (const m of matches) {
        let dir: string;
        try {
          dir = this.resolve(m, where);
          if (!lstatSync(dir).isDirectory()) continue;
        } catch {
          continue;
        }
        for (const name of readdirSync(dir).sort()) {
          const candidate = m ? `${m}/${name}` : name;
          if (re.test(name) && !this.ignored(candidate)) next.push(candidate);
        }
      }
      matches = next;
    }
    if (!matches.length) throw new BuildError('CONTEXT_NOT_FOUND', `${where}: no source files were specified matching "${pattern}"`, pattern);
    for (const m of matches) this.resolve(m, where);
    return matches;
  }

  /** Everything below `rel` (itself first), ignored entries left out, symlinks not followed. */
  *walk(rel: string, where: string): Generator<ContextFile> {
    const abs = this.resolve(rel, where);
    const stat = lstatSync(abs);
    yield { rel, abs, stat };
    if (!stat.isDirectory()) return;
    for (const name of readdirSync(abs).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (this.ignored(childRel)) continue;
      yield* this.walkNoFollow(childRel, join(abs, name));
    }
  }

  private *walkNoFollow(rel: string, abs: string): Generator<ContextFile> {
    const stat = lstatSync(abs);
    yield { rel, abs, stat };
    if (!stat.isDirectory()) return;
    for (const name of readdirSync(abs).sort()) {
      const childRel = `${rel}/${name}`;
      if (!this.ignored(childRel)) yield* this.walkNoFollow(childRel, join(abs, name));
    }
  }

  /** A digest of what COPY/ADD would read for these sources: names, modes, link targets, contents. */
  digest(sources: string[], where: string): string {
    const h = createHash('sha256');
    for (const src of sources) {
      for (const f of this.walk(src, where)) {
        const rel = relative(src ? this.resolve(src, where) : this.root, f.abs) || '.';
        h.update(`${rel}\0${f.stat.mode}\0`);
        if (f.stat.isSymbolicLink()) h.update(`l${readlinkSync(f.abs)}\0`);
        else if (f.stat.isFile()) h.update(fileDigest(f.abs, f.stat));
        h.update('\n');
      }
    }
    return `sha256:${h.digest('hex')}`;
  }
}

/** File contents' digest, remembered by (path, size, mtime, inode) within this process. */
const fileDigests = new Map<string, string>();
function fileDigest(abs: string, st: Stats): string {
  const key = `${abs}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  let d = fileDigests.get(key);
  if (!d) {
    d = createHash('sha256').update(readFileSync(abs)).digest('hex');
    fileDigests.set(key, d);
  }
  return d;
}

/** One path component of a docker wildcard pattern as a regex. */
export function componentRegex(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = part.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${part.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < part.length) re += `\\${part[++i]}`;
    else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
