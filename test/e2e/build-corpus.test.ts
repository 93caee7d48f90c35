// Every Dockerfile in test/fixtures/dockerfiles built by `vessel build` and by `buildah bud
// --layers --format docker` from the same context: the exported file systems (paths, types, modes,
// owners, link targets, contents), the image config and the history length must agree. Where
// buildah 1.28 departs from docker on purpose, the case checks vessel against docker's documented
// result instead and says why.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

const CORPUS = 'test/fixtures/dockerfiles';
const hasBuildah = spawnSync('buildah', ['--version']).status === 0;

/** Cases buildah 1.28 cannot be the oracle for, and docker's behaviour that vessel is held to instead. */
const DOCKER_ONLY: Record<string, string> = {
  '42-heredoc-run': 'buildah 1.28 predates Dockerfile heredocs (docker runs the body as a script)',
  '43-heredoc-copy': 'buildah 1.28 predates Dockerfile heredocs (docker writes the body as a file)',
  '18-shell': 'buildah 1.28 wraps a shell-form CMD in /bin/sh -c; docker uses the SHELL in force',
  '41-run-network-none': 'buildah 1.28 refuses RUN --network (only --mount)',
};
const BUILD_FLAGS: Record<string, string[]> = { '45-target': ['--target', 'first'] };
/** files the engines write into a RUN's root for their own mounts */
const ENGINE_FILES = new Set(['etc/hosts', 'etc/hostname', 'etc/resolv.conf', 'run', 'run/secrets', 'run/.containerenv']);

let e: EngineRoot;
let work: string;
let context: string;
let buildahArgs: string[];
before(() => {
  e = engineRoot();
  work = mkdtempSync(join(tmpdir(), 'vessel-build-corpus-'));
  context = join(work, 'context');
  cpSync(join(CORPUS, 'context'), context, { recursive: true, verbatimSymlinks: true });
  execFileSync('tar', ['-C', join(context, 'dir'), '-cf', join(context, 'archive.tar'), '.']);
  // git keeps only 644 and 755: the modes COPY must carry are set here
  chmodSync(join(context, 'dir', 'b.txt'), 0o600);
  if (hasBuildah) {
    buildahArgs = ['--root', join(work, 'buildah-root'), '--runroot', join(work, 'buildah-run'), '--storage-driver', 'vfs'];
    e.ok('save', '-o', join(work, 'busybox.tar'), 'busybox:latest');
    execFileSync('buildah', [...buildahArgs, 'pull', '-q', `docker-archive:${join(work, 'busybox.tar')}`], { stdio: 'pipe' });
  }
});
after(() => {
  if (hasBuildah) spawnSync('buildah', [...buildahArgs, 'rm', '--all']);
  if (hasBuildah) spawnSync('buildah', [...buildahArgs, 'rmi', '--all', '--force']);
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n').reverse()) {
    const target = line.split(' ')[1];
    if (target?.startsWith(work)) spawnSync('umount', ['-l', target]);
  }
  rmSync(work, { recursive: true, force: true });
  e.cleanup();
});

/** buildah keeps RUN --mount=type=cache directories under $TMPDIR: the test's own directory. */
function buildahEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: work };
}

/** A tree as comparable lines: path type mode uid:gid target-or-content-digest. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (ENGINE_FILES.has(r)) continue;
      const st = lstatSync(join(dir, r));
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : 'o';
      const what = kind === 'l' ? readlinkSync(join(dir, r)) : kind === 'f' ? createHash('sha256').update(readFileSync(join(dir, r))).digest('hex').slice(0, 16) : '';
      out.push(`${r} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${what}`);
      if (kind === 'd') walk(r);
    }
  };
  walk('');
  return out;
}

interface Comparable {
  config: Record<string, unknown>;
  history: number;
}

function comparable(inspect: { Config?: Record<string, unknown>; config?: Record<string, unknown> }, history: number): Comparable {
  const c = { ...(inspect.Config ?? inspect.config ?? {}) } as Record<string, unknown>;
  const labels = { ...((c.Labels as Record<string, string> | null) ?? {}) };
  delete labels['io.buildah.version'];
  const pick = (k: string, empty: unknown = null) => {
    const v = c[k];
    if (v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0)) return empty;
    return v;
  };
  return {
    config: {
      Env: pick('Env'), Cmd: pick('Cmd'), Entrypoint: pick('Entrypoint'), WorkingDir: pick('WorkingDir'), User: pick('User'),
      ExposedPorts: pick('ExposedPorts'), Volumes: pick('Volumes'), Labels: Object.keys(labels).length ? labels : null,
      StopSignal: pick('StopSignal'), Healthcheck: pick('Healthcheck'), OnBuild: pick('OnBuild'), Shell: pick('Shell'),
    },
    history,
  };
}

function vesselBuild(name: string, file: string): { tree: string[]; image: Comparable } {
  const out = join(work, `${name}.vessel`);
  const r = e.vessel('build', '-q', '-f', file, '-t', `corpus-${name}`, '-o', `type=local,dest=${out}`, ...(BUILD_FLAGS[name] ?? []), context);
  assert.equal(r.status, 0, `vessel build ${name}: ${r.stderr}`);
  const inspect = JSON.parse(e.ok('image', 'inspect', `corpus-${name}`))[0];
  const hist = e.ok('history', '-q', `corpus-${name}`).split('\n').filter(Boolean).length;
  return { tree: tree(out), image: comparable(inspect, hist) };
}

function buildahBuild(name: string, file: string): { tree: string[]; image: Comparable } {
  const tag = `localhost/corpus-${name}`;
  const r = spawnSync('buildah', [...buildahArgs, 'bud', '--layers', '--format', 'docker', '-q', '--isolation', 'chroot', '-f', file, '-t', tag, ...(BUILD_FLAGS[name] ?? []), context], { encoding: 'utf8', timeout: 120_000, env: buildahEnv() });
  assert.equal(r.status, 0, `buildah bud ${name}: ${r.stderr}`);
  const inspect = JSON.parse(execFileSync('buildah', [...buildahArgs, 'inspect', '--type', 'image', tag], { encoding: 'utf8' }));
  const ctr = execFileSync('buildah', [...buildahArgs, 'from', '-q', tag], { encoding: 'utf8' }).trim();
  try {
    const mnt = execFileSync('buildah', [...buildahArgs, 'mount', ctr], { encoding: 'utf8' }).trim();
    return { tree: tree(mnt), image: comparable(inspect.Docker?.config ? { Config: inspect.Docker.config } : inspect.OCIv1, (inspect.Docker?.history ?? inspect.History ?? []).length) };
  } finally {
    spawnSync('buildah', [...buildahArgs, 'rm', ctr]);
  }
}

const cases = readdirSync(CORPUS).filter((f) => f.endsWith('.Dockerfile')).sort();

test('the corpus has at least 40 Dockerfiles', () => {
  assert.ok(cases.length >= 40, `${cases.length}`);
});

for (const file of cases) {
  const name = file.replace(/\.Dockerfile$/, '');
  test(`build ${name}: vessel matches buildah`, { skip: !hasBuildah ? 'buildah is not installed (scripts/setup.sh installs it)' : DOCKER_ONLY[name] ? `${DOCKER_ONLY[name]}; the vessel-only checks are in build-cli.test.ts` : false }, () => {
    const path = join(process.cwd(), CORPUS, file);
    const ours = vesselBuild(name, path);
    const theirs = buildahBuild(name, path);
    assert.deepEqual(ours.tree, theirs.tree);
    assert.deepEqual(ours.image.config, theirs.image.config);
    assert.equal(ours.image.history, theirs.image.history);
  });
}
