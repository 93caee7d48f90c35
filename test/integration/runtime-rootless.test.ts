// vessel-runtime run by a real unprivileged user (no capabilities): `spec --rootless` configs, id
// maps through newuidmap/newgidmap, state under $XDG_RUNTIME_DIR, no cgroups on this host's v1,
// and what a rootless container must not reach.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Spec } from '../../src/oci/spec.js';
import { userNamespaceMaps } from '../../src/rootless/mappings.js';
import { defaultSpec } from '../../src/runtime/verbs/spec.js';
import { RUNTIME_BIN, cgroupLeft, uniqueId } from '../fixtures/bundle.js';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';
import { createUnprivilegedUser, type UnprivilegedUser } from '../fixtures/unprivileged-user.js';

interface UserBundle {
  dir: string;
  /** Writes config.json: `vessel-runtime spec --rootless` for this user, no terminal, `args`, then `edit`. */
  write(args: string[], edit?: (s: Spec) => void): void;
  /** `vessel-runtime ARGS` as the user in the bundle; output through files (detached containers keep them). */
  runtime(args: string[], timeout?: number): { status: number | null; stdout: string; stderr: string };
}

function userBundle(u: UnprivilegedUser, name: string): UserBundle {
  const dir = join(u.home, name);
  makeBusyboxRootfs(join(dir, 'rootfs'));
  execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, dir]);
  let calls = 0;
  return {
    dir,
    write(args, edit) {
      const s = defaultSpec({ rootless: true, uid: u.uid, gid: u.gid });
      s.process!.terminal = false;
      s.process!.args = args;
      s.root!.readonly = false;
      edit?.(s);
      u.writeFile(join(dir, 'config.json'), JSON.stringify(s));
    },
    runtime(args, timeout = 30_000) {
      const out = join(dir, `out.${calls}`);
      const err = join(dir, `err.${calls++}`);
      const outFd = openSync(out, 'w');
      const errFd = openSync(err, 'w');
      try {
        const [cmd, argv] = u.argv(process.execPath, [RUNTIME_BIN, ...args]);
        const r = execSync(cmd, argv, { cwd: dir, env: u.env(), stdio: ['ignore', outFd, errFd], timeout });
        return { status: r, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
      } finally {
        closeSync(outFd);
        closeSync(errFd);
      }
    },
  };
}

function execSync(cmd: string, args: string[], opts: Parameters<typeof execFileSync>[2]): number | null {
  try {
    execFileSync(cmd, args, opts);
    return 0;
  } catch (e) {
    return (e as { status: number | null }).status;
  }
}

const addCaps = (s: Spec, ...caps: string[]) => {
  const c = s.process!.capabilities!;
  for (const set of [c.bounding!, c.effective!, c.permitted!]) set.push(...caps);
};

describe('vessel-runtime as an unprivileged user', () => {
  let u: UnprivilegedUser;
  let b: UserBundle;
  before(() => {
    u = createUnprivilegedUser();
    b = userBundle(u, 'bundle');
  });
  after(async () => {
    for (const id of readdirSync(join(u.runtimeDir, 'vessel-runtime'), { withFileTypes: true }).map((d) => d.name)) b.runtime(['delete', '--force', id]);
    await u.remove();
  });

  it('runs a spec --rootless config: the container\'s root is the user, and state is under $XDG_RUNTIME_DIR', () => {
    const spec = u.run(process.execPath, [RUNTIME_BIN, 'spec', '--rootless'], { cwd: b.dir });
    assert.equal(spec.status, 0, spec.stderr);
    const generated = JSON.parse(readFileSync(join(b.dir, 'config.json'), 'utf8')) as Spec;
    assert.deepEqual(generated.linux!.uidMappings, [{ containerID: 0, hostID: u.uid, size: 1 }]);
    b.write(['sh', '-c', 'id -u; cat /proc/self/uid_map; echo made > /made-inside']);
    const r = b.runtime(['run', 'first']);
    assert.equal(r.status, 0, r.stderr);
    const [uidOut, mapLine] = r.stdout.split('\n');
    assert.equal(uidOut, '0');
    assert.deepEqual(mapLine!.trim().split(/\s+/), ['0', String(u.uid), '1']);
    // What the container's root wrote belongs to the user on the host.
    assert.equal(statSync(join(b.dir, 'rootfs/made-inside')).uid, u.uid);
    assert.equal(r.stderr, '', 'no cgroup warning without limits');
    assert.ok(existsSync(join(u.runtimeDir, 'vessel-runtime')), 'the state root is in the user\'s runtime directory');
    assert.equal(statSync(join(u.runtimeDir, 'vessel-runtime')).uid, u.uid);
  });

  it('run -d, state, exec, kill, state, delete', () => {
    const id = uniqueId('rl');
    b.write(['sleep', '300']);
    assert.equal(b.runtime(['run', '--detach', id]).status, 0);
    const st = JSON.parse(b.runtime(['state', id]).stdout) as { status: string; pid: number };
    assert.equal(st.status, 'running');
    assert.equal(readFileSync(`/proc/${st.pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)![1], String(u.uid));
    assert.ok(existsSync(join(u.runtimeDir, 'vessel-runtime', id, 'state.json')));
    const ex = b.runtime(['exec', id, 'sh', '-c', 'echo pid1=$(cat /proc/1/comm); id -u']);
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal(ex.stdout, 'pid1=sleep\n0\n');
    // Without a cgroup, `ps` finds the container's processes through its pid namespace.
    const ps = JSON.parse(b.runtime(['ps', '--format', 'json', id]).stdout) as number[];
    assert.deepEqual(ps, [st.pid]);
    assert.match(b.runtime(['pause', id]).stderr, /has no cgroup .* cannot be paused/);
    assert.equal(b.runtime(['kill', id, 'KILL']).status, 0);
    for (let i = 0; i < 100 && JSON.parse(b.runtime(['state', id]).stdout).status !== 'stopped'; i++) execFileSync('sleep', ['0.05']);
    assert.equal(JSON.parse(b.runtime(['state', id]).stdout).status, 'stopped');
    assert.equal(b.runtime(['delete', id]).status, 0);
    assert.match(b.runtime(['state', id]).stderr, /does not exist/);
    assert.ok(!existsSync(join(u.runtimeDir, 'vessel-runtime', id)));
  });

  it('maps the user\'s subordinate ranges through newuidmap/newgidmap', () => {
    b.write(['sh', '-c', 'cat /proc/self/setgroups; id -G; touch /owned && chown 1000:1000 /owned'], (s) => {
      s.linux!.uidMappings = [{ containerID: 0, hostID: u.uid, size: 1 }, { containerID: 1, hostID: u.subuid!.start, size: u.subuid!.count }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: u.gid, size: 1 }, { containerID: 1, hostID: u.subgid!.start, size: u.subgid!.count }];
      s.process!.user.additionalGids = [5];
      addCaps(s, 'CAP_CHOWN');
    });
    const r = b.runtime(['run', uniqueId('rl')]);
    assert.equal(r.status, 0, r.stderr);
    // setgroups stays allowed (the helpers wrote the maps), so the supplementary group is set.
    assert.equal(r.stdout, 'allow\n0 5\n');
    const st = statSync(join(b.dir, 'rootfs/owned'));
    assert.equal(st.uid, u.subuid!.start + 999);
    assert.equal(st.gid, u.subgid!.start + 999);
  });

  it('keeps the user\'s own id inside with keep-id maps (podman\'s --userns keep-id)', () => {
    const maps = userNamespaceMaps('keep-id', { name: u.name, uid: u.uid, gid: u.gid });
    b.write(['sh', '-c', 'id -u; id -g; stat -c %u /bin; touch /tmp/kept-id; cat /proc/self/uid_map'], (s) => {
      s.linux!.uidMappings = maps.uidMappings;
      s.linux!.gidMappings = maps.gidMappings;
      s.process!.user = { uid: u.uid, gid: u.gid };
    });
    const r = b.runtime(['run', uniqueId('rl')]);
    assert.equal(r.status, 0, r.stderr);
    const [uid, gid, binOwner] = r.stdout.split('\n');
    assert.deepEqual([uid, gid, binOwner], [String(u.uid), String(u.gid), String(u.uid)]);
    assert.equal(statSync(join(b.dir, 'rootfs/tmp/kept-id')).uid, u.uid);
    assert.match(r.stdout, new RegExp(`^\\s+0\\s+${u.subuid!.start}\\s+${u.uid}$`, 'm'));
  });

  it('refuses a mapping outside the user\'s ranges, naming the file, and leaves nothing', () => {
    const id = uniqueId('rl');
    b.write(['true'], (s) => {
      s.linux!.uidMappings = [{ containerID: 0, hostID: u.uid, size: 1 }, { containerID: 1, hostID: 1, size: 10 }];
    });
    const r = b.runtime(['run', id]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^vessel-runtime: linux\.uidMappings 1:1:10 maps host uids that .* does not own: \/etc\/subuid gives user \S+ only \d+-\d+; /);
    assert.ok(!existsSync(join(u.runtimeDir, 'vessel-runtime', id)));
  });

  it('runs without cgroups, warning once that requested limits are not enforced, and touches no cgroup', () => {
    const id = uniqueId('rl');
    b.write(['true'], (s) => {
      s.linux!.resources = { memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 20 } };
    });
    const r = b.runtime(['run', id]);
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.trim().split('\n');
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0]!, /warning: container "rl-[^"]+" runs without a cgroup \(running rootless on cgroup v1, where nothing is delegated to a user\): its memory, pids limits are not enforced/);
    assert.deepEqual(cgroupLeft(id), []);
  });

  it('cannot write a root-owned host file bind-mounted into the container, even as its root with every capability', () => {
    const victimDir = mkdtempSync('/tmp/vessel-rootless-victim-');
    chmodSync(victimDir, 0o755);
    const victim = join(victimDir, 'root-only');
    writeFileSync(victim, 'original\n', { mode: 0o644 });
    try {
      b.write(['sh', '-c', 'echo pwned > /victim; echo rc=$?; chmod 666 /victim; echo chmod=$?; chown 0 /victim; echo chown=$?'], (s) => {
        s.mounts!.push({ destination: '/victim', type: 'bind', source: victim, options: ['rbind', 'rw'] });
        addCaps(s, 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_SYS_ADMIN');
      });
      const r = b.runtime(['run', uniqueId('rl')]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /rc=1\nchmod=1\nchown=1\n/);
      assert.equal(readFileSync(victim, 'utf8'), 'original\n');
      assert.equal(statSync(victim).mode & 0o777, 0o644);
    } finally {
      rmSync(victimDir, { recursive: true, force: true });
    }
  });

  it("cannot reach root's engine state or root's runtime state", () => {
    // Root's runtime state as vessel-runtime makes it (its root directory is 0700), and an engine
    // root as `vessel` makes /var/lib/vessel.
    const rootState = mkdtempSync('/tmp/vessel-root-state-');
    const engineRoot = mkdtempSync('/tmp/vessel-root-engine-');
    chmodSync(rootState, 0o755); // as /run is
    try {
      const rootRuntime = join(rootState, 'runtime');
      const rootBundle = mkdtempSync('/tmp/vessel-root-bundle-');
      try {
        makeBusyboxRootfs(join(rootBundle, 'rootfs'));
        writeFileSync(join(rootBundle, 'config.json'), JSON.stringify({ ...defaultSpec(), process: { ...defaultSpec().process!, terminal: false, args: ['sleep', '300'] } }));
        execFileSync(process.execPath, [RUNTIME_BIN, '--root', rootRuntime, 'create', '--bundle', rootBundle, 'root-ctr'], { stdio: 'ignore' });
        writeFileSync(join(engineRoot, 'vessel.db'), 'secret');
        chmodSync(engineRoot, 0o700);
        b.write(['sh', '-c', [
          'cat /host/state/root-ctr/state.json >/dev/null 2>&1; echo state=$?',
          'echo 0 > /host/state/root-ctr/exec.fifo 2>/dev/null; echo fifo=$?',
          'ls /host/engine >/dev/null 2>&1; echo engine=$?',
          'cat /host/engine/vessel.db >/dev/null 2>&1; echo db=$?',
        ].join('; ')], (s) => {
          s.mounts!.push({ destination: '/host/state', type: 'bind', source: rootRuntime, options: ['rbind', 'rw'] });
          s.mounts!.push({ destination: '/host/engine', type: 'bind', source: engineRoot, options: ['rbind', 'rw'] });
          addCaps(s, 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_SYS_ADMIN');
        });
        const r = b.runtime(['run', uniqueId('rl')]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, 'state=1\nfifo=1\nengine=1\ndb=1\n');
        const st = JSON.parse(execFileSync(process.execPath, [RUNTIME_BIN, '--root', rootRuntime, 'state', 'root-ctr'], { encoding: 'utf8' })) as { status: string };
        assert.equal(st.status, 'created', 'root\'s container was not started through its fifo');
        assert.equal(statSync(rootRuntime).mode & 0o777, 0o700);
      } finally {
        execFileSync(process.execPath, [RUNTIME_BIN, '--root', rootRuntime, 'delete', '--force', 'root-ctr'], { stdio: 'ignore' });
        rmSync(rootBundle, { recursive: true, force: true });
      }
    } finally {
      rmSync(rootState, { recursive: true, force: true });
      rmSync(engineRoot, { recursive: true, force: true });
    }
  });
});

describe('vessel-runtime as a user with no subordinate ranges', () => {
  let u: UnprivilegedUser;
  before(() => {
    u = createUnprivilegedUser({ subids: false });
  });
  after(() => u.remove());

  it('runs a single-id mapping, and names /etc/subuid when more is asked', () => {
    const b = userBundle(u, 'bundle');
    b.write(['id', '-u']);
    const ok = b.runtime(['run', uniqueId('rl')]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, '0\n');
    b.write(['true'], (s) => {
      s.linux!.uidMappings = [{ containerID: 0, hostID: u.uid, size: 1 }, { containerID: 1, hostID: 100000, size: 65536 }];
    });
    const r = b.runtime(['run', uniqueId('rl')]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`/etc/subuid has no range for user ${u.name}; add a range \\(usermod --add-subuids START-END ${u.name}\\)`));
  });
});
