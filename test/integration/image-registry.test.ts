// Pull and push against a real registry (Debian's docker-registry), checked with skopeo.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImageError } from '../../src/image/errors.js';
import { pull } from '../../src/image/pull.js';
import { push } from '../../src/image/push.js';
import type { ProgressEvent } from '../../src/image/progress.js';
import { saveCredentials } from '../../src/image/registry/credentials.js';
import { openStore, type Store } from '../../src/image/store/index.js';
import { layerDiffDir } from '../../src/image/store/paths.js';
import { writeBusyboxLayout, type LayoutImage } from '../fixtures/images.js';
import { BUSYBOX_FIXTURE } from '../fixtures/layers.js';
import { startRegistry, type TestRegistry } from '../fixtures/registry.js';

// async: in token mode the token server lives in this process and must keep answering
async function skopeo(...args: string[]): Promise<string> {
  return (await promisify(execFile)('skopeo', args, { encoding: 'utf8' })).stdout;
}

function tempStore(t: { after(fn: () => void): void }): Store {
  const root = mkdtempSync(join(tmpdir(), 'vessel-root-'));
  const store = openStore(root);
  t.after(() => {
    store.close();
    rmSync(root, { recursive: true, force: true });
  });
  return store;
}

describe('registry round trip (no auth)', () => {
  let registry: TestRegistry;
  let layout: LayoutImage;
  let work: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'vessel-layout-'));
    registry = await startRegistry('none');
    layout = await writeBusyboxLayout(join(work, 'single'), 'busybox:latest');
    await skopeo('copy', '-q', '--dest-tls-verify=false', `oci:${layout.dir}:busybox:latest`, `docker://${registry.host}/fixture/busybox:latest`);
  });
  after(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('pull what skopeo pushed: identical digests, layers unpacked once each', async (t) => {
    const store = tempStore(t);
    const events: ProgressEvent[] = [];
    const image = await pull(store, `${registry.host}/fixture/busybox`, { onProgress: (e) => events.push(e) });
    assert.equal(image.id, layout.manifests[0]!.configDigest);
    assert.equal(image.manifestDigest, layout.digest);
    assert.deepEqual(image.repoDigests, [`${registry.host}/fixture/busybox@${layout.digest}`]);
    assert.deepEqual(image.names, [`${registry.host}/fixture/busybox:latest`]);
    assert.deepEqual(image.layers.map((l) => l.blobDigest), layout.layerDigests);
    BUSYBOX_FIXTURE.addedByLayer.forEach((files, i) => {
      for (const f of files) assert.ok(existsSync(join(layerDiffDir(store.paths, image.layers[i]!.chainId), f)), `layer ${i + 1} has ${f}`);
    });
    assert.equal(readdirSync(store.paths.layers).length, 3);
    assert.ok(events.some((e) => e.type === 'layer' && e.status === 'Pull complete'));

    const again: ProgressEvent[] = [];
    await pull(store, `${registry.host}/fixture/busybox:latest`, { onProgress: (e) => again.push(e) });
    const statuses = again.filter((e) => e.type === 'layer' && e.status !== 'Waiting').map((e) => (e as { status: string }).status);
    assert.deepEqual(statuses, ['Already exists', 'Already exists', 'Already exists']);

    const byDigest = await pull(store, `${registry.host}/fixture/busybox@${layout.digest}`);
    assert.equal(byDigest.id, image.id);
  });

  test('push: skopeo sees the same manifest, cross-repo mount, skopeo can copy it', async (t) => {
    const store = tempStore(t);
    await pull(store, `${registry.host}/fixture/busybox:latest`);
    store.images.tag(store.images.resolve(`${registry.host}/fixture/busybox`).id, `${registry.host}/pushed/copy:v1`);
    const events: ProgressEvent[] = [];
    const result = await push(store, `${registry.host}/pushed/copy:v1`, { onProgress: (e) => events.push(e) });
    assert.equal(result.digest, layout.digest);
    const mounted = events.filter((e) => e.type === 'layer' && e.status === 'Mounted');
    assert.equal(mounted.length, 3, 'layers mounted from fixture/busybox instead of uploaded');
    const inspected = JSON.parse(await skopeo('inspect', '--tls-verify=false', `docker://${registry.host}/pushed/copy:v1`)) as { Digest: string; Layers: string[] };
    assert.equal(inspected.Digest, layout.digest);
    assert.deepEqual(inspected.Layers, layout.layerDigests);
    const out = join(mkdtempSync(join(tmpdir(), 'vessel-skopeo-')), 'oci');
    t.after(() => rmSync(join(out, '..'), { recursive: true, force: true }));
    await skopeo('copy', '-q', '--src-tls-verify=false', `docker://${registry.host}/pushed/copy:v1`, `oci:${out}:copy`);
    assert.ok(existsSync(join(out, 'blobs', 'sha256', layout.manifests[0]!.configDigest.slice(7))));

    // a fresh upload (no mount source known) to a third repository
    const fresh = tempStore(t);
    await pull(fresh, `${registry.host}/pushed/copy:v1`);
    fresh.db.sql.exec('DELETE FROM blob_sources');
    fresh.images.tag(fresh.images.resolve(`${registry.host}/pushed/copy:v1`).id, `${registry.host}/uploaded/copy:v2`);
    const up: ProgressEvent[] = [];
    const r2 = await push(fresh, `${registry.host}/uploaded/copy:v2`, { onProgress: (e) => up.push(e) });
    assert.equal(r2.digest, layout.digest);
    assert.ok(up.some((e) => e.type === 'layer' && (e.status === 'Pushed' || e.status === 'Layer already exists')));
  });

  test('missing image and missing repository are clear errors', async (t) => {
    const store = tempStore(t);
    await assert.rejects(pull(store, `${registry.host}/fixture/busybox:nope`), (e: unknown) => e instanceof ImageError && e.code === 'IMAGE_NOT_FOUND');
  });
});

describe('manifest lists', () => {
  let registry: TestRegistry;
  let layout: LayoutImage;
  let work: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'vessel-layout-'));
    registry = await startRegistry('none');
    layout = await writeBusyboxLayout(join(work, 'multi'), 'multi:latest', ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    await skopeo('copy', '-q', '--all', '--dest-tls-verify=false', `oci:${layout.dir}:multi:latest`, `docker://${registry.host}/multi/busybox:latest`);
  });
  after(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('platform choice', async (t) => {
    const store = tempStore(t);
    const arm = await pull(store, `${registry.host}/multi/busybox`, { platform: 'linux/arm64' });
    assert.equal(arm.id, layout.manifests[1]!.configDigest);
    assert.equal(arm.manifestDigest, layout.manifests[1]!.digest);
    assert.deepEqual(arm.repoDigests, [`${registry.host}/multi/busybox@${layout.digest}`]);
    const v7 = await pull(store, `${registry.host}/multi/busybox`, { platform: 'linux/arm/v7' });
    assert.equal(v7.id, layout.manifests[2]!.configDigest);
    await assert.rejects(pull(store, `${registry.host}/multi/busybox`, { platform: 'linux/s390x' }), (e: unknown) => e instanceof ImageError && e.code === 'PLATFORM_NOT_FOUND');
    // the layers are shared by all three platforms
    assert.equal(readdirSync(store.paths.layers).length, 3);
  });
});

for (const mode of ['htpasswd', 'token'] as const) {
  describe(`auth: ${mode}`, () => {
    let registry: TestRegistry;
    let layout: LayoutImage;
    let work: string;
    before(async () => {
      work = mkdtempSync(join(tmpdir(), 'vessel-layout-'));
      registry = await startRegistry(mode);
      layout = await writeBusyboxLayout(join(work, 'single'), 'busybox:latest');
    });
    after(async () => {
      await registry?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    test('anonymous is refused; saved credentials push and pull', async (t) => {
      const store = tempStore(t);
      const loaded = await (await import('../../src/image/load.js')).load(store, { path: layout.dir });
      const name = `${registry.host}/private/busybox:latest`;
      store.images.tag(loaded[0]!.id, name);
      await assert.rejects(push(store, name), (e: unknown) => e instanceof ImageError && e.code === 'REGISTRY_UNAUTHORIZED');
      saveCredentials(store.paths.authFile, registry.host, { username: registry.credentials.username, password: 'wrong' });
      await assert.rejects(push(store, name), (e: unknown) => e instanceof ImageError && e.code === 'REGISTRY_UNAUTHORIZED');
      saveCredentials(store.paths.authFile, registry.host, registry.credentials);
      const pushed = await push(store, name);
      assert.equal(pushed.digest, layout.digest);
      const other = tempStore(t);
      saveCredentials(other.paths.authFile, registry.host, registry.credentials);
      const image = await pull(other, name);
      assert.equal(image.id, layout.manifests[0]!.configDigest);
      if (mode === 'token') assert.ok(registry.tokenRequests.some((q) => q.includes('private%2Fbusybox%3Apull%2Cpush')));
      const creds = `${registry.credentials.username}:${registry.credentials.password}`;
      const inspected = JSON.parse(await skopeo('inspect', '--tls-verify=false', '--creds', creds, `docker://${name}`)) as { Digest: string };
      assert.equal(inspected.Digest, layout.digest);
    });
  });
}

describe('TLS with a self-signed certificate', () => {
  let registry: TestRegistry;
  let work: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'vessel-layout-'));
    registry = await startRegistry('none', { tls: true });
    const layout = await writeBusyboxLayout(join(work, 'single'), 'busybox:latest');
    await skopeo('copy', '-q', '--dest-tls-verify=false', `oci:${layout.dir}:busybox:latest`, `docker://${registry.host}/tls/busybox:latest`);
  });
  after(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('verification refuses it; tls-verify=false and the loopback default accept it', async (t) => {
    const store = tempStore(t);
    await assert.rejects(pull(store, `${registry.host}/tls/busybox`, { tlsVerify: true }), (e: unknown) => e instanceof ImageError && e.code === 'REGISTRY_UNREACHABLE');
    const a = await pull(store, `${registry.host}/tls/busybox`, { tlsVerify: false });
    const b = await pull(store, `${registry.host}/tls/busybox`);
    assert.equal(a.id, b.id);
  });
});
