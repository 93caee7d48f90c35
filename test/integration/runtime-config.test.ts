// Each config.json field, observed from inside a real container.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Spec } from '../../src/oci/spec.js';
import { defaultSeccompProfile } from '../../src/seccomp/index.js';
import { RUNTIME_BIN, makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

describe('runtime config fields', () => {
  let b: TestBundle;
  before(() => {
    b = makeBundle();
  });
  after(() => b.cleanup());

  /** Runs `sh -c script` in a container built from `edit` and returns its stdout. */
  function inside(script: string, edit?: (s: Spec) => void): { out: string; err: string; code: number | null } {
    b.write(testSpec(['sh', '-c', script], edit));
    const r = b.runtime(['run', uniqueId()]);
    return { out: r.stdout, err: r.stderr, code: r.status };
  }

  it('runs as pid 1 with its own hostname and domainname', () => {
    const r = inside('echo $$; hostname; cat /proc/sys/kernel/domainname', (s) => {
      s.hostname = 'box1';
      s.domainname = 'example.test';
    });
    assert.equal(r.out, '1\nbox1\nexample.test\n');
  });

  it('passes args, env and cwd', () => {
    const r = inside('echo "$FOO|$BAR|$(pwd)"', (s) => {
      s.process!.env = ['PATH=/bin', 'FOO=one two', 'BAR='];
      s.process!.cwd = '/tmp';
    });
    assert.equal(r.out, 'one two||/tmp\n');
  });

  it('fails clearly when cwd does not exist', () => {
    const r = inside('pwd', (s) => {
      s.process!.cwd = '/does/not/exist';
    });
    assert.equal(r.code, 1);
    assert.match(r.err, /chdir/);
  });

  it('sets uid, gid, additional gids and umask', () => {
    const r = inside('id -u; id -g; id -G; umask', (s) => {
      s.process!.user = { uid: 1000, gid: 1000, additionalGids: [2000, 3000], umask: 0o027 };
    });
    assert.equal(r.out, '1000\n1000\n1000 2000 3000\n0027\n');
  });

  it('applies exactly the capability sets asked for', () => {
    const r = inside('grep ^Cap /proc/self/status', (s) => {
      s.process!.capabilities = {
        bounding: ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_RAW'],
        effective: ['CAP_CHOWN', 'CAP_KILL'],
        permitted: ['CAP_CHOWN', 'CAP_KILL'],
        inheritable: ['CAP_KILL'],
        ambient: ['CAP_KILL'],
      };
    });
    const caps = Object.fromEntries(r.out.trim().split('\n').map((l) => l.split(/:\s+/)) as [string, string][]);
    assert.equal(BigInt(`0x${caps.CapBnd}`), (1n << 0n) | (1n << 5n) | (1n << 13n));
    assert.equal(BigInt(`0x${caps.CapEff}`), (1n << 0n) | (1n << 5n));
    assert.equal(BigInt(`0x${caps.CapPrm}`), (1n << 0n) | (1n << 5n));
    assert.equal(BigInt(`0x${caps.CapInh}`), 1n << 5n);
    assert.equal(BigInt(`0x${caps.CapAmb}`), 1n << 5n);
  });

  it('honours noNewPrivileges', () => {
    assert.match(inside('grep NoNewPrivs /proc/self/status', (s) => (s.process!.noNewPrivileges = true)).out, /NoNewPrivs:\s+1/);
    assert.match(inside('grep NoNewPrivs /proc/self/status', (s) => (s.process!.noNewPrivileges = false)).out, /NoNewPrivs:\s+0/);
  });

  it('lowers rlimits and refuses to raise a hard limit above the host', () => {
    const r = inside('ulimit -n; ulimit -Hn', (s) => {
      s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 123, hard: 456 }];
    });
    assert.equal(r.out, '123\n456\n');
    const hostHard = Number(/Max open files\s+\d+\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))![1]);
    const bad = inside('true', (s) => {
      s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 10, hard: hostHard + 1 }];
    });
    assert.equal(bad.code, 1);
    assert.match(bad.err, /CAP_SYS_RESOURCE/);
  });

  it('masks and makes read-only the configured /proc paths', () => {
    const r = inside('cat /proc/timer_list 2>&1 | wc -c; ls /proc/acpi | wc -l; echo 1 > /proc/sys/kernel/ns_last_pid 2>&1 || echo ro', (s) => {
      s.linux!.maskedPaths = ['/proc/timer_list', '/proc/acpi'];
      s.linux!.readonlyPaths = ['/proc/sys'];
    });
    assert.deepEqual(r.out.trim().split('\n').map((l) => l.trim()), ['0', '0', 'ro']);
  });

  it('makes the root read-only when asked', () => {
    const r = inside('touch /x 2>/dev/null && echo rw || echo ro', (s) => (s.root!.readonly = true));
    assert.equal(r.out, 'ro\n');
  });

  it('mounts bind, tmpfs with options, in order, and creates destinations inside the root', () => {
    const src = join(b.dir, 'data');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'hello'), 'from host\n');
    const r = inside('cat /data/hello; touch /data/new 2>/dev/null && echo w || echo ro; mount | grep " /scratch "', (s) => {
      s.mounts!.push({ destination: '/data', source: src, options: ['bind', 'ro'] });
      s.mounts!.push({ destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'size=1m'] });
    });
    assert.match(r.out, /^from host\nro\ntmpfs on \/scratch type tmpfs \(rw,nosuid,nodev,relatime,size=1024k/);
  });

  it('keeps a symlink in the image from redirecting a mount outside the root', () => {
    const outside = join(b.dir, 'outside-target');
    mkdirSync(outside, { recursive: true });
    // /evil -> an absolute host path. Resolved inside the root it names <root>/<that path>, which
    // does not exist: the mount is refused rather than landing on the host directory.
    symlinkSync(outside, join(b.rootfs, 'evil'));
    const r = inside('true', (s) => {
      s.mounts!.push({ destination: '/evil/sub', type: 'tmpfs', source: 'tmpfs', options: [] });
    });
    assert.equal(r.code, 1);
    assert.match(r.err, /evil/);
    assert.equal(existsSync(join(outside, 'sub')), false, 'nothing created in the host directory');
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(outside), 'nothing mounted on the host path');
  });

  it('creates the default devices and linux.devices', () => {
    const r = inside('ls -l /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/fuse | cut -c1-10,35-44; readlink /dev/ptmx; readlink /dev/fd', (s) => {
      s.linux!.devices = [{ type: 'c', path: '/dev/fuse', major: 10, minor: 229, fileMode: 0o600, uid: 0, gid: 0 }];
    });
    assert.match(r.out, /crw-rw-rw- +1, +3/);
    assert.match(r.out, /crw------- +10, 229/);
    assert.match(r.out, /pts\/ptmx\n\/proc\/self\/fd\n$/);
  });

  it('writes sysctls in the container namespaces', () => {
    const r = inside('cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax', (s) => {
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '1', 'kernel.msgmax': '4096' };
      s.linux!.readonlyPaths = [];
    });
    assert.equal(r.out, '1\n4096\n');
    assert.equal(readFileSync('/proc/sys/kernel/msgmax', 'utf8').trim() === '4096', false, 'the host value is untouched');
  });

  it('reports the cgroup write that failed, and leaves nothing', () => {
    const r = inside('true', (s) => {
      // 8:0 (sda) does not exist on this virtio machine: the kernel refuses the rule.
      s.linux!.resources = { ...s.linux!.resources, blockIO: { throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1024 }] } };
    });
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot write "8:0 1024" to .*blkio.throttle.read_bps_device: ENODEV/);
    assert.equal(r.err.trim().split('\n').length, 1);
  });

  it('removes the intermediate cgroups of a nested cgroupsPath, even after a failed create', () => {
    const nested = `vt-nest-${process.pid}`;
    const r = inside('true', (s) => {
      s.linux!.cgroupsPath = `${nested}/leaf`;
      s.linux!.resources = { ...s.linux!.resources, blockIO: { throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1024 }] } };
    });
    assert.equal(r.code, 1);
    const ok = inside('true', (s) => (s.linux!.cgroupsPath = `${nested}/leaf`));
    assert.equal(ok.code, 0, ok.err);
    for (const h of ['pids', 'memory', 'blkio']) assert.equal(existsSync(`/sys/fs/cgroup/${h}/vessel/${nested}`), false, `${h}/vessel/${nested} removed`);
  });

  it('refuses sysctls that would change the host', () => {
    const r = inside('true', (s) => (s.linux!.sysctl = { 'vm.swappiness': '10' }));
    assert.equal(r.code, 1);
    assert.match(r.err, /vm.swappiness is not namespaced/);
    const r2 = inside('true', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'network');
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '0' };
    });
    assert.equal(r2.code, 1);
    assert.match(r2.err, /needs a network namespace/);
  });

  it('installs a seccomp filter: a blocked syscall fails with EPERM inside', () => {
    const r = inside('unshare -U true && echo allowed; hostname && echo hostname-ok', (s) => {
      s.linux!.seccomp = defaultSeccompProfile(s.process!.capabilities!.bounding!);
    });
    assert.match(r.err, /unshare: unshare\(0x10000000\): Operation not permitted/);
    assert.doesNotMatch(r.out, /allowed/);
    assert.match(r.out, /hostname-ok/, 'allowed calls still work');
    assert.match(inside('grep Seccomp: /proc/self/status', (s) => (s.linux!.seccomp = defaultSeccompProfile([]))).out, /Seccomp:\s+2/);
  });

  it('maps ids in a new user namespace', () => {
    const r = inside('cat /proc/self/uid_map /proc/self/gid_map; id -u', (s) => {
      s.linux!.namespaces!.push({ type: 'user' });
      s.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      s.mounts = s.mounts!.filter((m) => m.destination !== '/sys' && m.destination !== '/sys/fs/cgroup');
    });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\s+0\s+100000\s+65536\n\s+0\s+100000\s+65536\n0\n$/);
  });

  it('refuses a working directory outside the root, even through a passed fd (CVE-2024-21626)', () => {
    const id = uniqueId();
    b.write(testSpec(['sh', '-c', 'ls /; pwd'], (s) => (s.process!.cwd = '/proc/self/fd/3')));
    // fd 3 of the runtime is a host directory, preserved into the container with --preserve-fds 1.
    const hostDir = openSync(b.dir, 'r');
    try {
      const r = spawnSync(process.execPath, [RUNTIME_BIN, '--root', b.stateRoot, 'run', '--preserve-fds', '1', '--bundle', b.dir, id], {
        stdio: ['ignore', 'pipe', 'pipe', hostDir],
        encoding: 'utf8',
        timeout: 20000,
      });
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /chdir\(\/proc\/self\/fd\/3, 1\): Permission denied/);
      assert.doesNotMatch(r.stdout, /config.json/, 'the host directory was never listed');
    } finally {
      closeSync(hostDir);
    }
  });

  it('leaks no host file descriptor into the container', () => {
    const r = inside('ls /proc/self/fd | sort -n | tr "\\n" " "');
    // 0-2, plus the directory ls itself opens
    assert.equal(r.out.trim(), '0 1 2 3');
  });

  it('runs hooks with the state on stdin', () => {
    const log = join(b.dir, 'hooks.log');
    const hook = join(b.dir, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\necho "$1 $(cat)" >> ${log}\n`);
    chmodSync(hook, 0o755);
    const id = uniqueId();
    b.write(testSpec(['true'], (s) => {
      s.hooks = Object.fromEntries(
        ['prestart', 'createRuntime', 'poststart', 'poststop'].map((k) => [k, [{ path: hook, args: ['hook', k] }]]),
      );
    }));
    const r = b.runtime(['run', id]);
    assert.equal(r.status, 0, r.stderr);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['prestart', 'createRuntime', 'poststart', 'poststop']);
    const state = JSON.parse(lines[0]!.slice(lines[0]!.indexOf(' ') + 1)) as { id: string; pid: number };
    assert.equal(state.id, id);
    assert.ok(state.pid > 0);
  });

  it('runs createContainer hooks in the container namespaces and startContainer hooks inside the container', () => {
    const id = uniqueId();
    const log = join(b.dir, 'inner-hooks.log');
    b.write(testSpec(['sh', '-c', 'cat /start-hook.out'], (s) => {
      s.hostname = 'hooked';
      s.hooks = {
        // before pivot_root: a host path, but the container's uts namespace
        createContainer: [{ path: '/bin/sh', args: ['sh', '-c', `echo "create $(hostname)" >> ${log}`] }],
        // after pivot_root: a path inside the container, with the state on stdin
        startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'echo "start $(hostname) $(cat | grep -c created)" > /start-hook.out'] }],
      };
    }));
    const r = b.runtime(['run', id]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(log, 'utf8'), 'create hooked\n');
    assert.equal(r.stdout, 'start hooked 1\n');
  });

  it('fails create when a prestart hook fails, leaving nothing', () => {
    const id = uniqueId();
    b.write(testSpec(['true'], (s) => (s.hooks = { prestart: [{ path: '/bin/false' }] })));
    const r = b.runtime(['create', '--bundle', b.dir, id]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /prestart hook \/bin\/false exited with status 1/);
    assert.equal(existsSync(join(b.stateRoot, id)), false);
  });
});
