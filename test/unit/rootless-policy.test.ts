// Rootless policy as pure logic: subordinate id files, how id maps are written, ownership of
// extracted entries, which limits count as requested, and the default roots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRoots } from '../../src/engine/default-roots.js';
import { Ownership, mapId } from '../../src/image/layer/ownership.js';
import type { TarHeader } from '../../src/image/layer/tar-header.js';
import { mapsFor } from '../../src/rootless/mappings.js';
import { covered, parseSubordinateIds } from '../../src/rootless/subid.js';
import { requestedLimits } from '../../src/runtime/cgroup.js';
import { planIdMaps } from '../../src/runtime/id-maps.js';
import { testSpec } from '../fixtures/bundle.js';

const header = (name: string, uid: number, gid: number, mode = 0o4755) => ({ name, uid, gid, mode }) as TarHeader;
const errno = (code: string) => Object.assign(new Error(code), { code });

describe('rootless policy', () => {
  it('reads a user\'s ranges by name or uid, skipping malformed lines', () => {
    const text = 'alice:100000:65536\n1001:300000:10\nbob:165536:65536\nalice:bad:1\nalice:5:0\n\n';
    assert.deepEqual(parseSubordinateIds(text, { name: 'alice', id: 1001 }), [{ start: 100000, count: 65536 }, { start: 300000, count: 10 }]);
    assert.deepEqual(parseSubordinateIds(text, { name: 'carol', id: 7 }), []);
    assert.ok(covered([{ start: 100000, count: 65536 }], 100000, 65536));
    assert.ok(!covered([{ start: 100000, count: 65536 }], 100001, 65536));
  });

  it('writes maps directly for root and for a user\'s own single id (setgroups off), and refuses ids the user does not own', () => {
    const spec = (uid: number, gid: number) => testSpec(['true'], (s) => {
      s.linux!.uidMappings = [{ containerID: 0, hostID: uid, size: 1 }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: gid, size: 1 }];
    });
    assert.deepEqual(planIdMaps(spec(5, 5), { euid: 0, egid: 0, user: 'root' }), { uid: 'write', gid: 'write', denySetgroups: false });
    assert.deepEqual(planIdMaps(spec(1001, 1002), { euid: 1001, egid: 1002, user: 'alice' }), { uid: 'write', gid: 'write', denySetgroups: true });
    // additional groups need setgroups, which a single own-gid mapping turns off
    const withGroups = spec(1001, 1002);
    withGroups.process!.user.additionalGids = [5];
    assert.throws(() => planIdMaps(withGroups, { euid: 1001, egid: 1002, user: 'alice' }), /additionalGids needs setgroups/);
    // someone else's id, for a user with no ranges: refused before anything starts, naming the file
    assert.throws(() => planIdMaps(spec(0, 1002), { euid: 1001, egid: 1002, user: 'vessel-no-such-user' }),
      /linux\.uidMappings 0:0:1 maps host uids that vessel-no-such-user \(uid 1001\) does not own: \/etc\/subuid (has no range for user vessel-no-such-user|does not exist)/);
  });

  it('builds podman\'s maps: the user as root, or keeping its own id (keep-id), over several ranges', () => {
    const ranges = [{ start: 100000, count: 1000 }, { start: 300000, count: 65536 }];
    assert.deepEqual(mapsFor(1001, 0, ranges), [
      { containerID: 0, hostID: 1001, size: 1 }, { containerID: 1, hostID: 100000, size: 1000 }, { containerID: 1001, hostID: 300000, size: 65536 },
    ]);
    // keep-id: uid 1001 stays 1001; the ids below and above it come from the ranges, the second one split.
    assert.deepEqual(mapsFor(1001, 1001, ranges), [
      { containerID: 0, hostID: 100000, size: 1000 }, { containerID: 1000, hostID: 300000, size: 1 },
      { containerID: 1001, hostID: 1001, size: 1 }, { containerID: 1002, hostID: 300001, size: 65535 },
    ]);
    // An own id beyond every range is still mapped to itself.
    assert.deepEqual(mapsFor(70000, 70000, [{ start: 100000, count: 10 }]), [
      { containerID: 0, hostID: 100000, size: 10 }, { containerID: 70000, hostID: 70000, size: 1 },
    ]);
  });

  it('maps ids through OCI mappings', () => {
    const maps = [{ containerID: 0, hostID: 1000, size: 1 }, { containerID: 1, hostID: 100000, size: 65536 }];
    assert.equal(mapId(maps, 0), 1000);
    assert.equal(mapId(maps, 1000), 100999);
    assert.equal(mapId(maps, 65536), 165535);
    assert.equal(mapId(maps, 65537), undefined);
  });

  it('applies ownership through a map, drops setuid where it cannot apply it, and counts instead of failing', () => {
    const own = new Ownership({ rootless: true, idMap: { uidMappings: [{ containerID: 0, hostID: 1000, size: 10 }], gidMappings: [{ containerID: 0, hostID: 1000, size: 10 }] } });
    const chowned: number[][] = [];
    assert.equal(own.apply(header('a', 1, 1), (u, g) => chowned.push([u, g])), 0o4755);
    assert.deepEqual(chowned, [[1001, 1001]]);
    assert.equal(own.apply(header('far', 50, 0), () => assert.fail('not chowned')), 0o755);
    assert.equal(own.apply(header('refused', 2, 2), () => { throw errno('EPERM'); }), 0o755);
    assert.equal(own.apply(header('unmapped', 3, 3), () => { throw errno('EINVAL'); }), 0o755);
    assert.deepEqual(own.warnings().map((w) => w.split(':')[0]), ['2 entries are owned by ids outside the id mapping (first', '1 entries could not be given their owner without root (first']);
    // As root, a refused chown is a real failure.
    assert.throws(() => new Ownership({ rootless: false }).apply(header('x', 0, 0), () => { throw errno('EPERM'); }), /EPERM/);
  });

  it('counts limits, not device rules, as requested resources', () => {
    assert.deepEqual(requestedLimits({ devices: [{ allow: false, access: 'rwm' }] }), []);
    assert.deepEqual(requestedLimits({ memory: { limit: 1 }, cpu: {}, pids: { limit: 5 }, hugepageLimits: [] }), ['memory', 'pids']);
  });

  it('gives root /var/lib/vessel and a user its XDG directories', () => {
    assert.deepEqual(defaultRoots({}, 0), { root: '/var/lib/vessel', socket: '/run/vessel/vessel.sock', rootless: false });
    assert.deepEqual(defaultRoots({ HOME: '/home/a', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000), {
      root: '/home/a/.local/share/vessel', runRoot: '/run/user/1000/vessel', socket: '/run/user/1000/vessel/vessel.sock', rootless: true,
    });
  });
});
