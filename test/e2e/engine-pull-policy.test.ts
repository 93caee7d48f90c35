// `run`/`create --pull always|missing|never` against a local registry, through the built CLI.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { writeBusyboxLayout, type LayoutImage } from '../fixtures/images.js';
import { requireRegistry, startRegistry, type TestRegistry } from '../fixtures/registry.js';
import { CLI } from './engine-fixture.js';

const NONE = ['--network', 'none'];

let work: string;
let root: string;
let registry: TestRegistry;
let single: LayoutImage;
let image: string;

function vesselIn(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, '--root', dir, ...args], { encoding: 'utf8', timeout: 60_000 });
}

const vessel = (...args: string[]) => vesselIn(root, ...args);

async function push(layout: LayoutImage): Promise<void> {
  await promisify(execFile)('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${layout.dir}:busybox:latest`, `docker://${image}`]);
}

before(async () => {
  if (!existsSync(CLI)) throw new Error('the engine e2e tests need the built CLI: npm run build');
  requireRegistry();
  work = mkdtempSync(join(tmpdir(), 'vessel-e2e-pull-'));
  root = join(work, 'root');
  registry = await startRegistry('none');
  image = `${registry.host}/lib/box:latest`;
  single = await writeBusyboxLayout(join(work, 'single'), 'busybox:latest');
  await push(single);
});

after(async () => {
  for (const dir of [root, join(work, 'other')]) vesselIn(dir, 'system', 'reset', '-f');
  for (const line of existsSync('/proc/mounts') ? readFileSync('/proc/mounts', 'utf8').split('\n').reverse() : []) {
    const target = line.split(' ')[1];
    if (work && target?.startsWith(work)) spawnSync('umount', ['-l', target]);
  }
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('--pull never fails with docker\'s message when the image is absent, and creates nothing', () => {
  const r = vessel('run', '--rm', ...NONE, '--pull', 'never', image, 'true');
  assert.equal(r.status, 125, 'docker exits 125 when run fails in the engine');
  assert.equal(r.stderr, `Error: No such image: ${image}\n`);
  const created = vessel('create', ...NONE, '--pull', 'never', image);
  assert.equal(created.stderr, `Error: No such image: ${image}\n`);
  assert.equal(vessel('ps', '-aq').stdout, '');
  assert.equal(vessel('images', '-q').stdout, '', 'nothing was pulled');
  const bad = vessel('run', '--pull', 'sometimes', image);
  assert.equal(bad.stderr, `Error: invalid pull option: 'sometimes': must be one of "always", "missing" or "never"\n`);
});

test('--pull missing pulls an absent image once; stdout keeps only the container\'s output', () => {
  const first = vessel('run', '--rm', ...NONE, image, 'echo', 'hi');
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, 'hi\n');
  assert.match(first.stderr, new RegExp(`^Unable to find image '${image}' locally\nlatest: Pulling from lib/box\n`));
  assert.match(first.stderr, new RegExp(`Digest: ${single.digest}\nStatus: Downloaded newer image for ${image}\n$`));
  const again = vessel('run', '--rm', ...NONE, '--pull', 'missing', image, 'echo', 'again');
  assert.equal(again.stdout, 'again\n');
  assert.equal(again.stderr, '', 'a present image is not pulled');
  const never = vessel('create', ...NONE, '--pull', 'never', image);
  assert.equal(never.status, 0, never.stderr);
  assert.match(never.stdout, /^[0-9a-f]{64}\n$/);
  vessel('rm', never.stdout.trim());
});

test('--pull always pulls every time and follows a tag that moved', async () => {
  const same = vessel('run', '--rm', ...NONE, '--pull', 'always', image, 'true');
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stderr, /^latest: Pulling from lib\/box\n/);
  assert.match(same.stderr, new RegExp(`Status: Image is up to date for ${image}\n$`));
  const before = vessel('images', '-q', '--no-trunc', image).stdout;
  // another image under the same tag: the busybox another engine root imports, pushed from there
  const other = join(work, 'other');
  execFileSync('sh', ['scripts/import-busybox.sh', '--root', other], { stdio: 'pipe' });
  assert.equal(vesselIn(other, 'tag', 'busybox', image).status, 0);
  const pushed = vesselIn(other, 'push', image);
  assert.equal(pushed.status, 0, pushed.stderr);
  const moved = vessel('create', ...NONE, '--pull', 'always', image);
  assert.equal(moved.status, 0, moved.stderr);
  assert.match(moved.stderr, new RegExp(`Status: Downloaded newer image for ${image}\n$`));
  const now = vessel('images', '-q', '--no-trunc', image).stdout;
  assert.notEqual(now, before, 'the tag names the new image');
  assert.equal(now, vesselIn(other, 'images', '-q', '--no-trunc', image).stdout);
  assert.equal(JSON.parse(vessel('inspect', moved.stdout.trim()).stdout)[0].Image, now.trim(), 'the container is of the new image');
  vessel('rm', moved.stdout.trim());
});
