// The content store: import, tags, rmi semantics (untag, in use, multiple names), GC of layers
// and blobs, prune, and the state database's migrations.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ImageError } from '../../src/image/errors.js';
import { importRootfs } from '../../src/image/import.js';
import { list } from '../../src/image/list.js';
import { prune, removeImage } from '../../src/image/remove.js';
import { openStore, type Store } from '../../src/image/store/index.js';
import { layerDiffDir } from '../../src/image/store/paths.js';
import { imageHistory, inspectImage } from '../../src/image/summary.js';
import { tag } from '../../src/image/tag.js';
import { openStateDb, type Migration } from '../../src/state/db.js';
import { migrations } from '../../src/state/migrations/index.js';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';

function setup(t: { after(fn: () => void): void }): { store: Store; tarball: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vessel-store-'));
  const store = openStore(join(dir, 'root'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  makeBusyboxRootfs(join(dir, 'rootfs'));
  const tarball = join(dir, 'rootfs.tar.gz');
  execFileSync('tar', ['-C', join(dir, 'rootfs'), '-czf', tarball, '.']);
  return { store, tarball };
}

test('import a rootfs tarball as a one-layer image', async (t) => {
  const { store, tarball } = setup(t);
  const image = await importRootfs(store, createReadStream(tarball), { reference: 'busybox', changes: ['CMD ["sh"]', 'ENV A=1 B=2', 'WORKDIR /root'], source: tarball });
  assert.deepEqual(image.names, ['docker.io/library/busybox:latest']);
  assert.equal(image.layers.length, 1);
  assert.ok(existsSync(join(layerDiffDir(store.paths, image.layers[0]!.chainId), 'bin', 'busybox')));
  const inspect = inspectImage(store.paths, image);
  assert.deepEqual(inspect.Config.Cmd, ['sh']);
  assert.deepEqual(inspect.Config.Env, ['A=1', 'B=2']);
  assert.equal(inspect.Config.WorkingDir, '/root');
  assert.deepEqual(inspect.RepoTags, ['busybox:latest']);
  assert.equal(inspect.RootFS.Layers[0], image.layers[0]!.diffId);
  const history = imageHistory(image);
  assert.equal(history.length, 1);
  assert.equal(history[0]!.Id, image.id);
  assert.ok(history[0]!.Size > 1_000_000);
  // importing the same content again reuses the layer
  const again = await importRootfs(store, createReadStream(tarball), { reference: 'copy:1' });
  assert.equal(again.layers[0]!.chainId, image.layers[0]!.chainId);
  assert.equal(readdirSync(store.paths.layers).length, 1);
});

test('rmi: untag, refuse in-use and multi-name deletes, GC layers and blobs', async (t) => {
  const { store, tarball } = setup(t);
  const image = await importRootfs(store, createReadStream(tarball), { reference: 'busybox' });
  tag(store, 'busybox', 'other:v1');
  assert.equal(list(store).length, 1);
  assert.deepEqual(list(store, { reference: 'other' })[0]!.RepoTags, ['other:v1']);
  assert.throws(() => removeImage(store, image.id.slice(7, 19)), (e: unknown) => e instanceof ImageError && e.code === 'IMAGE_IN_USE');
  assert.deepEqual(removeImage(store, 'other:v1'), [{ Untagged: 'other:v1' }]);
  const inUse = (id: string) => (id === image.id ? ['c0ffee'.padEnd(64, '0')] : []);
  assert.throws(() => removeImage(store, 'busybox', { isImageInUse: inUse }), (e: unknown) => e instanceof ImageError && e.code === 'IMAGE_IN_USE' && /c0ffee/.test(e.message));
  const blobFiles = readdirSync(store.paths.blobs).length;
  assert.equal(blobFiles, 3);
  const events = removeImage(store, 'busybox', { isImageInUse: inUse, force: true });
  assert.deepEqual(events.slice(0, 2), [{ Untagged: 'busybox:latest' }, { Deleted: image.id }]);
  assert.equal(readdirSync(store.paths.layers).length, 0);
  assert.equal(readdirSync(store.paths.blobs).length, 0);
  assert.throws(() => store.images.resolve('busybox'), (e: unknown) => e instanceof ImageError && e.code === 'IMAGE_NOT_FOUND');
});

test('prune removes dangling images only, or all unused with all', async (t) => {
  const { store, tarball } = setup(t);
  const a = await importRootfs(store, createReadStream(tarball), { reference: 'a', changes: ['CMD ["a"]'] });
  const dangling = await importRootfs(store, createReadStream(tarball), { changes: ['CMD ["b"]'] });
  assert.equal(list(store, { dangling: true })[0]!.Id, dangling.id);
  const r = prune(store);
  assert.deepEqual(r.ImagesDeleted, [{ Deleted: dangling.id }]);
  assert.equal(list(store).length, 1);
  assert.equal(readdirSync(store.paths.layers).length, 1, 'the shared layer stays');
  const all = prune(store, { all: true, isImageInUse: (id) => (id === a.id ? ['x'] : []) });
  assert.deepEqual(all.ImagesDeleted, []);
  const gone = prune(store, { all: true });
  assert.ok(gone.SpaceReclaimed > 1_000_000);
  assert.equal(list(store).length, 0);
});

test('state db: WAL, migrations applied once, new migrations appended', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vessel-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'x.db');
  const extra: Migration = { version: 100, name: 'widgets', up: 'CREATE TABLE widgets (id INTEGER PRIMARY KEY)' };
  const db = openStateDb(path);
  assert.equal(db.sql.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  const db2 = openStateDb(path, [...migrations, extra]);
  const versions = (db2.sql.prepare('SELECT version FROM migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  assert.deepEqual(versions, [...migrations.map((m) => m.version), 100]);
  db2.transaction(() => db2.sql.prepare('INSERT INTO widgets (id) VALUES (1)').run());
  assert.throws(() => db2.transaction(() => {
    db2.sql.prepare('INSERT INTO widgets (id) VALUES (2)').run();
    throw new Error('rollback');
  }));
  assert.equal((db2.sql.prepare('SELECT count(*) AS n FROM widgets').get() as { n: number }).n, 1);
  db2.close();
});
