// docker-archive, oci-archive and OCI layout load/save, checked against skopeo in both directions.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { load } from '../../src/image/load.js';
import { save } from '../../src/image/save.js';
import { openStore, type Store } from '../../src/image/store/index.js';
import { writeBusyboxLayout, type LayoutImage } from '../fixtures/images.js';

async function skopeo(...args: string[]): Promise<string> {
  return (await promisify(execFile)('skopeo', args, { encoding: 'utf8' })).stdout;
}

let work: string;
let layout: LayoutImage;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'vessel-archive-'));
  layout = await writeBusyboxLayout(join(work, 'layout'), 'docker.io/library/busybox:latest');
});
after(() => rmSync(work, { recursive: true, force: true }));

function tempStore(t: { after(fn: () => void): void }): Store {
  const root = mkdtempSync(join(tmpdir(), 'vessel-root-'));
  const store = openStore(root);
  t.after(() => {
    store.close();
    rmSync(root, { recursive: true, force: true });
  });
  return store;
}

test('load what skopeo wrote as docker-archive and oci-archive: identical digests and names', async (t) => {
  const docker = join(work, 'skopeo-docker.tar');
  const oci = join(work, 'skopeo-oci.tar');
  await skopeo('copy', '-q', `oci:${layout.dir}:docker.io/library/busybox:latest`, `docker-archive:${docker}:busybox:latest`);
  await skopeo('copy', '-q', `oci:${layout.dir}:docker.io/library/busybox:latest`, `oci-archive:${oci}:docker.io/library/busybox:1.0`);
  const store = tempStore(t);
  const [fromDocker] = await load(store, { path: docker });
  assert.equal(fromDocker!.id, layout.manifests[0]!.configDigest);
  assert.deepEqual(fromDocker!.names, ['docker.io/library/busybox:latest']);
  const [fromOci] = await load(store, { stream: createReadStream(oci), name: 'stdin' });
  assert.equal(fromOci!.id, layout.manifests[0]!.configDigest);
  assert.equal(fromOci!.manifestDigest, layout.digest);
  assert.deepEqual([...fromOci!.names].sort(), ['docker.io/library/busybox:1.0', 'docker.io/library/busybox:latest']);
});

test('save docker-archive and oci-archive that skopeo reads back with identical digests', async (t) => {
  const store = tempStore(t);
  const [image] = await load(store, { path: layout.dir });
  assert.deepEqual(image!.names, ['docker.io/library/busybox:latest']);
  const dockerTar = join(work, 'vessel-docker.tar');
  await save(store, ['busybox'], { stream: createWriteStream(dockerTar) }, 'docker-archive');
  const d = JSON.parse(await skopeo('inspect', '--raw', '--config', `docker-archive:${dockerTar}`)) as { rootfs: { diff_ids: string[] } };
  assert.deepEqual(d, JSON.parse(readFileSync(join(layout.dir, 'blobs', 'sha256', layout.manifests[0]!.configDigest.slice(7)), 'utf8')));
  // skopeo finds the image by the RepoTag vessel wrote
  const byTag = JSON.parse(await skopeo('inspect', '--config', `docker-archive:${dockerTar}:docker.io/library/busybox:latest`)) as { architecture: string };
  assert.equal(byTag.architecture, 'amd64');

  const ociTar = join(work, 'vessel-oci.tar');
  await save(store, ['busybox:latest'], { stream: createWriteStream(ociTar) }, 'oci-archive');
  const raw = await skopeo('inspect', '--raw', `oci-archive:${ociTar}:docker.io/library/busybox:latest`);
  assert.equal(`sha256:${(await import('node:crypto')).createHash('sha256').update(raw).digest('hex')}`, layout.digest);

  const ociDir = join(work, 'vessel-oci-dir');
  await save(store, ['busybox:latest'], { dir: ociDir }, 'oci-dir');
  assert.ok(existsSync(join(ociDir, 'index.json')));
  const copy = join(work, 'copied');
  await skopeo('copy', '-q', `oci:${ociDir}:docker.io/library/busybox:latest`, `oci:${copy}:x`);

  // and vessel loads its own archives into a fresh store
  const other = tempStore(t);
  const [a] = await load(other, { path: dockerTar });
  const [b] = await load(other, { path: ociTar });
  assert.equal(a!.id, image!.id);
  assert.equal(b!.manifestDigest, image!.manifestDigest);
});

test('a corrupt archive is refused', async (t) => {
  const store = tempStore(t);
  const bad = join(work, 'bad.tar');
  (await import('node:fs')).writeFileSync(bad, Buffer.alloc(2048, 7));
  await assert.rejects(load(store, { path: bad }), /ARCHIVE|archive/);
});

test('an OCI layout tarred by hand (with its "./" root) loads; entries escaping the archive are refused', async (t) => {
  const store = tempStore(t);
  const tarball = join(work, 'hand.tar');
  await promisify(execFile)('tar', ['-C', layout.dir, '-cf', tarball, '.']);
  const [image] = await load(store, { path: tarball });
  assert.equal(image!.manifestDigest, layout.digest);
  const { writeTar } = await import('../../src/image/layer/tar-writer.js');
  const evil = join(work, 'evil.tar');
  await writeTar([{ header: { name: '../escape', type: 'file', size: 1 }, body: Buffer.from('x') }], createWriteStream(evil));
  await assert.rejects(load(store, { path: evil }), (e: unknown) => (e as { code?: string }).code === 'ARCHIVE_INVALID' && /escapes/.test((e as Error).message));
  assert.equal(existsSync(join(store.paths.tmp, 'escape')), false);
});
