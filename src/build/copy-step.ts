// COPY and ADD: sources from the context (through .dockerignore, never out of it), another
// stage, an image, a --build-context, a heredoc or (ADD) a URL; local archives unpacked by ADD;
// --chown, --chmod. The cache key has a digest of everything the step reads.
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import type { WritableEntry } from '../engine/fs/tree-write.js';
import { chainKey } from './cache.js';
import type { BuildContext } from './context.js';
import { archiveEntries, contextEntries, fileEntry, isArchive, isDirInRoot, parseChmod, resolveChown, rootEntries, writeEntries, type EntryOptions } from './copy.js';
import { expandWord, expandWords, type Lookup } from './dockerfile/expand.js';
import { flagValue, type Instruction } from './dockerfile/parse.js';
import { BuildError } from './errors.js';
import { cached, inContainer, withLayer } from './layer-step.js';
import type { StepProgress } from './progress.js';
import type { BuildRun } from './run-context.js';
import type { State } from './stage.js';
import type { Stage } from './stages.js';

export async function copyStep(run: BuildRun, stage: Stage, state: State, ins: Instruction, escape: string, where: string, lookup: Lookup, step: StepProgress): Promise<State> {
  const isAdd = ins.keyword === 'ADD';
  const args = ins.json ?? expandWords(ins.rest, lookup, escape);
  if (args.length < 2) throw new BuildError('PARSE', `${where}: ${ins.keyword} requires at least two arguments, but only one was provided. Destination could not be determined`, where);
  const sourcesRaw = args.slice(0, -1);
  const workdir = state.config.config?.WorkingDir || '/';
  const destRaw = args[args.length - 1]!;
  // `.`, `x/.` and `x/` name directories
  const namesDir = destRaw.endsWith('/') || destRaw === '.' || destRaw.endsWith('/.');
  const resolved = posix.resolve(workdir, destRaw);
  const dest = resolved + (namesDir && resolved !== '/' ? '/' : '');
  const chmod = flagValue(ins, 'chmod');
  const chown = flagValue(ins, 'chown');
  const from = flagValue(ins, 'from');
  const opts: EntryOptions = chmod ? { mode: parseChmod(chmod, where) } : {};
  const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
  const isHeredoc = (s: string) => /^<<-?["']?/.test(s) && heredocs.has(s.replace(/^<<-?["']?|["']$/g, ''));

  // what the step reads, for its cache key
  type Source = { kind: 'context'; paths: string[] } | { kind: 'heredoc'; name: string; content: string } | { kind: 'url'; url: string; content: Buffer; mtime: number } | { kind: 'root'; path: string };
  const sources: Source[] = [];
  let fromRoot: { stageKey: string; imageId: string | undefined } | undefined;
  let fromContext: BuildContext = run.opts.context;
  if (from !== undefined) {
    const r = run.stageResult(from, stage.index);
    if (r) {
      const res = await r;
      fromRoot = { stageKey: res.key, imageId: res.imageId };
    } else if (run.opts.buildContexts?.[from]) {
      fromContext = run.opts.buildContexts[from]!;
    } else {
      const img = run.engine.findImage(from) ?? (await run.engine.pull(from));
      fromRoot = { stageKey: img.id, imageId: img.id };
    }
  }
  for (const raw of sourcesRaw) {
    if (isHeredoc(raw)) {
      const h = heredocs.get(raw.replace(/^<<-?["']?|["']$/g, ''))!;
      sources.push({ kind: 'heredoc', name: h.name, content: h.expand ? expandWord(h.content, lookup, '\u0000') : h.content });
    } else if (isAdd && /^https?:\/\//.test(raw)) {
      let res: Response;
      try {
        res = await fetch(raw);
      } catch (cause) {
        throw new BuildError('FETCH_FAILED', `${where}: failed to fetch ${raw}: ${(cause as Error).message}`, raw, { cause });
      }
      if (!res.ok) throw new BuildError('FETCH_FAILED', `${where}: failed to fetch ${raw}: HTTP ${res.status}`, raw);
      const lm = res.headers.get('last-modified');
      sources.push({ kind: 'url', url: raw, content: Buffer.from(await res.arrayBuffer()), mtime: lm ? Math.floor(Date.parse(lm) / 1000) : 0 });
    } else if (fromRoot) {
      sources.push({ kind: 'root', path: raw });
    } else {
      sources.push({ kind: 'context', paths: fromContext.glob(raw, where) });
    }
  }
  const count = sources.reduce((n, s) => n + (s.kind === 'context' ? s.paths.length : 1), 0);
  const destIsDir = dest.endsWith('/') || count > 1;
  if (count > 1 && !dest.endsWith('/')) throw new BuildError('INVALID_INSTRUCTION', `${where}: When using ${ins.keyword} with more than one source file, the destination must be a directory and end with a /`, where);
  const digest = sources.map((s) => {
    switch (s.kind) {
      case 'context': return fromContext.digest(s.paths, where);
      case 'heredoc': return `heredoc:${s.name}:${s.content}`;
      case 'url': return `url:${s.url}:${chainKey('', s.content.toString('base64'))}`;
      case 'root': return `root:${fromRoot!.stageKey}:${s.path}`;
    }
  });
  const text = `${ins.keyword} ${ins.flags.map((f) => `--${f.name}${f.value === undefined ? '' : `=${f.value}`}`).join(' ')}${ins.flags.length ? ' ' : ''}${args.join(' ')}`;
  const key = chainKey(state.key, text, ...digest);
  const hit = cached(run, state, key, text);
  if (hit) {
    step.cached();
    return withLayer(run, state, key, text, hit.layer, hit.created, hit.image);
  }
  const created = new Date().toISOString();
  const write = async (rootDir: string, srcRoot: string | undefined) => {
    const owner = chown ? resolveChown(rootDir, chown, where) : undefined;
    const o: EntryOptions = { ...opts, ...(owner ? { owner } : {}) };
    const dirDest = destIsDir || isDirInRoot(rootDir, dest);
    // a destination directory the step creates belongs to --chown's owner, as in docker
    const dirSource = sources.some((s) => s.kind === 'context' && s.paths.some((p) => isDirectory(fromContext.resolve(p, where))));
    const destDir = dirDest || dirSource ? dest : posix.dirname(dest);
    if (owner && destDir !== '/' && !isDirInRoot(rootDir, destDir)) {
      await writeEntries(rootDir, one({ header: { name: `${destDir.replace(/^\/+|\/+$/g, '')}/`, type: 'directory', mode: 0o755, uid: owner.uid, gid: owner.gid } }));
    }
    for (const s of sources) {
      let entries: AsyncIterable<WritableEntry>;
      if (s.kind === 'context') {
        const archives = isAdd ? s.paths.filter((p) => !fromContext.isIgnored(p) && isArchive(fromContext.resolve(p, where)) && !isDirectory(fromContext.resolve(p, where))) : [];
        const plain = s.paths.filter((p) => !archives.includes(p));
        for (const a of archives) await writeEntries(rootDir, archiveEntries(fromContext.resolve(a, where), dest));
        entries = contextEntries(fromContext, plain, dest, dirDest, o, where);
      } else if (s.kind === 'heredoc') {
        entries = one(fileEntry(dirDest ? posix.join(dest, s.name) : dest, Buffer.from(s.content), chmod ? parseChmod(chmod, where) : 0o644, Math.floor(Date.now() / 1000), o));
      } else if (s.kind === 'url') {
        const name = posix.basename(new URL(s.url).pathname) || 'index.html';
        entries = one(fileEntry(dirDest ? posix.join(dest, name) : dest, s.content, chmod ? parseChmod(chmod, where) : 0o600, s.mtime, o));
      } else {
        entries = rootEntries(srcRoot!, s.path, dest, dirDest, o, where);
      }
      await writeEntries(rootDir, entries);
    }
  };
  // onto nothing (scratch) or --link: the files alone make the layer, whatever is below them
  const link = flagValue(ins, 'link') !== undefined && flagValue(ins, 'link') !== 'false';
  const withSource = async (rootDir: string) => {
    if (!fromRoot) return write(rootDir, undefined);
    if (!fromRoot.imageId) throw new BuildError('CONTEXT_NOT_FOUND', `${where}: the stage ${from} has no files`, from!);
    const srcId = await run.engine.create({ image: fromRoot.imageId, cmd: ['/bin/true'], env: [], user: '', workdir: '/', network: 'none', mounts: [], buildLabel: String(process.pid) });
    try {
      await run.engine.withRootfs(srcId, (srcRoot) => write(rootDir, srcRoot));
    } finally {
      await run.engine.remove(srcId);
    }
  };
  const layer = !state.layers.length || link
    ? await run.engine.layerFromDir(withSource)
    : await inContainer(run, state, { cmd: ['/bin/true'], env: [], network: 'none', mounts: [] }, (id) => run.engine.withRootfs(id, withSource));
  step.done();
  return withLayer(run, state, key, text, layer, created, undefined);
}

async function* one<T>(x: T): AsyncGenerator<T> {
  yield x;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
