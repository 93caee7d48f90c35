// The seccomp program cache returns exactly what the compiler produces.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
});
