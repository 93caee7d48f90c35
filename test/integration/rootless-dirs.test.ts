// The engine's default roots for a real unprivileged user: XDG directories, podman's fallbacks for
// the runtime directory, and a planted fallback directory in /tmp refused rather than used.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUnprivilegedUser, type UnprivilegedUser } from '../fixtures/unprivileged-user.js';

const PRINT = resolve('test/fixtures/rootless/print-roots.ts');

describe('default engine roots of an unprivileged user', () => {
  let u: UnprivilegedUser;
  let tmp: string;
  before(() => {
    u = createUnprivilegedUser({ subids: false });
    tmp = join(u.home, 'tmp');
    mkdirSync(tmp);
    chownSync(tmp, u.uid, u.gid);
  });
  after(() => u.remove());

  const roots = (env: Record<string, string | undefined>) => {
    const r = u.run(process.execPath, ['--import', 'tsx', PRINT], { cwd: process.cwd(), env: { TMPDIR: tmp, ...env } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { root?: string; runRoot?: string; socket?: string; rootless?: boolean; error?: { message: string } };
  };

  it('uses $XDG_DATA_HOME and $XDG_RUNTIME_DIR', () => {
    assert.deepEqual(roots({ XDG_DATA_HOME: join(u.home, 'data') }), {
      root: join(u.home, 'data/vessel'), runRoot: `${u.runtimeDir}/vessel`, socket: `${u.runtimeDir}/vessel/vessel.sock`, rootless: true,
    });
  });

  it('falls back to ~/.local/share and /run/user/UID', () => {
    const r = roots({ XDG_RUNTIME_DIR: undefined });
    assert.equal(r.root, join(u.home, '.local/share/vessel'));
    assert.equal(r.runRoot, `/run/user/${u.uid}/vessel`);
  });

  it('without /run/user/UID: a private directory in the temporary directory, never one planted there', () => {
    // The fixture's /run/user/UID is removed for this test, and made again after.
    rmSync(u.runtimeDir, { recursive: true });
    try {
      const r = roots({ XDG_RUNTIME_DIR: undefined });
      assert.equal(r.runRoot, join(tmp, `vessel-run-${u.uid}`, 'vessel'));
      const st = statSync(join(tmp, `vessel-run-${u.uid}`));
      assert.equal(st.uid, u.uid);
      assert.equal(st.mode & 0o777, 0o700);
      // Someone else's symlink in a shared /tmp must not become the user's runtime directory.
      const shared = join(u.home, 'shared-tmp');
      mkdirSync(shared);
      chmodSync(shared, 0o1777);
      symlinkSync('/root', join(shared, `vessel-run-${u.uid}`));
      const planted = roots({ XDG_RUNTIME_DIR: undefined, TMPDIR: shared });
      assert.match(planted.error?.message ?? '', new RegExp(`^${shared}/vessel-run-${u.uid} is not a private directory of uid ${u.uid}: set XDG_RUNTIME_DIR`));
    } finally {
      mkdirSync(u.runtimeDir, { mode: 0o700 });
      chownSync(u.runtimeDir, u.uid, u.gid);
    }
  });
});
