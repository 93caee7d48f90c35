// Rootless podman (run by a real unprivileged user, with its own storage in the user's home and
// its ranges in /etc/subuid) driving vessel-runtime as its OCI runtime. podman runs the runtime as
// root inside the user namespace it made, so this is vessel-runtime with no root powers over the
// host: no mknod, no cgroups, state under the user's XDG_RUNTIME_DIR. Needs the peers from
// ../shared/peers-setup.sh (podman, conmon); not part of the default suite: `npm run test:interop`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RUNTIME_BIN } from '../fixtures/bundle.js';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';
import { createUnprivilegedUser, type UnprivilegedUser } from '../fixtures/unprivileged-user.js';

const IMAGE = 'localhost/vessel-interop-busybox:rootless';

describe('rootless podman with --runtime vessel-runtime', () => {
  let u: UnprivilegedUser;
  const podman = (args: string[]) => u.run('podman', ['--runtime', RUNTIME_BIN, ...args], { timeout: 120_000 });
  before(() => {
    u = createUnprivilegedUser();
    const dir = mkdtempSync(join(tmpdir(), 'vessel-interop-'));
    try {
      makeBusyboxRootfs(dir);
      const tar = execFileSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
      const [cmd, args] = u.argv('podman', ['import', '-q', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV PATH=/bin', '-', IMAGE]);
      execFileSync(cmd, args, { input: tar, env: u.env(), cwd: u.home, stdio: ['pipe', 'ignore', 'pipe'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // Removing the user removes its podman storage, its pause process and everything it ran.
  after(() => u.remove());

  it('run --rm: the container\'s root is the user, the rest of the ids come from its ranges', () => {
    const r = podman(['run', '--rm', '--network', 'none', IMAGE, 'sh', '-c', 'id -u; cat /proc/self/uid_map; echo hello']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    assert.deepEqual(lines, ['0', `0 ${u.uid} 1`, `1 ${u.subuid!.start} ${u.subuid!.count}`, 'hello']);
  });

  it('returns the exit code, on podman\'s default rootless network', () => {
    const r = podman(['run', '--rm', IMAGE, 'sh', '-c', 'exit 3']);
    assert.equal(r.status, 3, r.stderr);
  });

  it('-d, exec, stop and rm work through conmon, with state in the user\'s runtime directory', () => {
    const r = podman(['run', '-d', '--network', 'none', IMAGE, 'sleep', '300']);
    assert.equal(r.status, 0, r.stderr);
    const id = r.stdout.trim();
    // podman runs the runtime without --root: it chose the user's runtime directory, as runc does.
    assert.ok(existsSync(join(u.runtimeDir, 'vessel-runtime', id, 'state.json')), readdirSync(u.runtimeDir).join(' '));
    const ex = podman(['exec', id, 'sh', '-c', 'echo in-$$; id -u']);
    assert.equal(ex.stdout, 'in-2\n0\n', ex.stderr);
    assert.match(podman(['ps', '--format', '{{.ID}} {{.Status}}']).stdout, new RegExp(`^${id.slice(0, 12)} Up`, 'm'));
    assert.equal(podman(['stop', '-t', '1', id]).status, 0);
    assert.match(podman(['ps', '-a', '--format', '{{.ID}} {{.Status}}']).stdout, new RegExp(`^${id.slice(0, 12)} Exited`, 'm'));
    assert.equal(podman(['rm', id]).status, 0);
    assert.ok(!existsSync(join(u.runtimeDir, 'vessel-runtime', id)));
  });

  it('chown to an id from the user\'s ranges works inside the container', () => {
    const r = podman(['run', '--rm', '--network', 'none', IMAGE, 'sh', '-c', 'touch /tmp/x && chown 1000:1000 /tmp/x && stat -c %u:%g /tmp/x']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1000:1000\n');
  });
});
