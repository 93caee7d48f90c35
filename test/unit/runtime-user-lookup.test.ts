import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lookupUser } from '../../src/runtime/user-lookup.js';

const files = {
  passwd: 'root:x:0:0:root:/root:/bin/sh\n# comment\nalice:x:1234:1300:Alice:/home/alice:/bin/sh\nnohome:x:7:7:::/bin/sh\n',
  group: 'staff:x:1300:\nwheel:x:1400:alice,bob\nops:x:1500:\n',
};

it('resolves user and group names and ids the way docker does', () => {
  assert.deepEqual(lookupUser('', files), { ok: true, user: { uid: 0, gid: 0 }, home: '/root' });
  assert.deepEqual(lookupUser('alice', files), { ok: true, user: { uid: 1234, gid: 1300, additionalGids: [1400] }, home: '/home/alice' });
  assert.deepEqual(lookupUser('alice:ops', files), { ok: true, user: { uid: 1234, gid: 1500 }, home: '/home/alice' });
  assert.deepEqual(lookupUser('1234', files), { ok: true, user: { uid: 1234, gid: 1300, additionalGids: [1400] }, home: '/home/alice' });
  assert.deepEqual(lookupUser('4000:4001', files), { ok: true, user: { uid: 4000, gid: 4001 }, home: '/' }, 'ids unknown to passwd are taken as given');
  assert.deepEqual(lookupUser('nohome', files), { ok: true, user: { uid: 7, gid: 7 }, home: '/' });
  assert.deepEqual(lookupUser('bob', files), { ok: false, name: 'bob', message: 'unable to find user bob: no matching entries in passwd file' });
  assert.deepEqual(lookupUser('alice:nogroup', files), { ok: false, name: 'nogroup', message: 'unable to find group nogroup: no matching entries in group file' });
  assert.deepEqual(lookupUser('alice', { passwd: '', group: '' }).ok, false, 'no passwd file: a name cannot be resolved');
});
