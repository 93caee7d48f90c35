// The seccomp program cache returns exactly what the compiler produces.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cachedSeccomp } from '../../src/runtime/seccomp-cache.js';
import { compileSeccomp, defaultSeccompProfile } from '../../src/seccomp/index.js';

describe('seccomp program cache', () => {
  it('stores a compiled profile once and returns identical bytes and flags', () => {
    const root = mkdtempSync(join(tmpdir(), 'vessel-seccomp-cache-'));
    try {
      const profile = { ...defaultSeccompProfile(['CAP_KILL']), flags: ['SECCOMP_FILTER_FLAG_LOG'] };
      const fresh = compileSeccomp(profile);
      const first = cachedSeccomp(profile, root);
      const second = cachedSeccomp(profile, root);
      assert.equal(readdirSync(join(root, 'seccomp-cache')).length, 1);
      for (const p of [first, second]) {
        assert.equal(p.flags, fresh.flags);
        assert.ok(p.filter.equals(fresh.filter));
      }
      cachedSeccomp(defaultSeccompProfile(['CAP_SYS_ADMIN']), root);
      assert.equal(readdirSync(join(root, 'seccomp-cache')).length, 2, 'another profile is another entry');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('uses an entry only for the exact profile it was compiled from', () => {
    const root = mkdtempSync(join(tmpdir(), 'vessel-seccomp-cache-'));
    try {
      const profile = defaultSeccompProfile(['CAP_KILL']);
      const other = defaultSeccompProfile(['CAP_SYS_ADMIN']);
      cachedSeccomp(profile, root);
      const [entry] = readdirSync(join(root, 'seccomp-cache'));
      // plant another profile's program under this profile's name, as a hash collision would
      cachedSeccomp(other, root);
      const planted = readdirSync(join(root, 'seccomp-cache')).find((f) => f !== entry)!;
      writeFileSync(join(root, 'seccomp-cache', entry!), readFileSync(join(root, 'seccomp-cache', planted)));
      const got = cachedSeccomp(profile, root);
      assert.ok(got.filter.equals(compileSeccomp(profile).filter), 'the planted program is not used');
      assert.ok(!got.filter.equals(compileSeccomp(other).filter));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
