// An image a container uses cannot be removed without -f, as in docker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

describe('rmi of an image in use', () => {
  let e: EngineRoot;
  before(() => {
    e = engineRoot();
  });
  after(() => e.cleanup());

  it('is refused while a container uses it, and allowed once the container is gone', () => {
    const id = e.ok('create', 'busybox', 'true').trim();
    const refused = e.vessel('rmi', 'busybox');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`container ${id.slice(0, 12)} is using its referenced image`));
    assert.match(e.ok('images', '-q'), /^[0-9a-f]{12}$/m, 'the image is still there');
    const pruned = e.ok('image', 'prune', '-a', '-f');
    assert.doesNotMatch(pruned, /deleted:/, 'prune -a keeps an image in use');
    e.ok('rm', id);
    assert.match(e.ok('rmi', 'busybox'), /^Untagged: busybox:latest$/m);
  });
});
