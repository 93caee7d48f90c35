// `vessel-runtime --trace` on a real container: every kernel step, in order, in the three formats.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Spec } from '../../src/oci/spec.js';
import { defaultSeccompProfile } from '../../src/seccomp/index.js';
import { CONCEPTS, type TraceStep as Step } from '../../src/trace/step.js';
import { RUNTIME_BIN, cgroupLeft, makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

const MEMORY = 64 * 1024 * 1024;

/** A container in its own user namespace, with a memory limit and docker's seccomp profile. */
function spec(args: string[], edit?: (s: Spec) => void): Spec {
  return testSpec(args, (s) => {
    s.linux!.namespaces!.push({ type: 'user' });
    s.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    s.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    // sysfs and the cgroup tree cannot be mounted from a user namespace without a netns of its own
    s.mounts = s.mounts!.filter((m) => m.destination !== '/sys' && m.destination !== '/sys/fs/cgroup');
    s.linux!.resources = { memory: { limit: MEMORY } };
    s.linux!.seccomp = defaultSeccompProfile(s.process!.capabilities!.bounding!);
    s.process!.env = ['PATH=/bin:/usr/bin', 'TOKEN=not-for-the-trace'];
    edit?.(s);
  });
}

function jsonSteps(stderr: string): Step[] {
  return stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Step);
}

describe('vessel-runtime --trace', { timeout: 60_000 }, () => {
  let b: TestBundle;
  const ids: string[] = [];
  before(() => {
    b = makeBundle();
  });
  after(() => {
    b.cleanup();
    for (const id of ids) assert.deepEqual(cgroupLeft(id), [], `cgroups of ${id} left behind`);
  });

  it('shows each kernel step of a run in order, as JSON lines', () => {
    const id = uniqueId('trace');
    ids.push(id);
    b.write(spec(['echo', 'traced']));
    const r = b.runtime(['--trace=json', 'run', id]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'traced\n');
    const steps = jsonSteps(r.stderr);
    for (const s of steps) {
      assert.ok((CONCEPTS as readonly string[]).includes(s.concept), `concept of ${JSON.stringify(s)}`);
      assert.ok(Number.isInteger(s.startUs) && s.startUs >= 0 && Number.isInteger(s.durUs) && s.durUs >= 0);
    }
    const at = (what: string, match: (s: Step) => boolean): number => {
      const i = steps.findIndex(match);
      assert.ok(i >= 0, `no ${what} step in:\n${steps.map((s) => `${s.concept} ${s.op} ${s.detail}`).join('\n')}`);
      return i;
    };
    const order = [
      at('clone of the plan process', (s) => s.op === 'clone' && /CLONE_VFORK/.test(s.detail)),
      at('unshare of the user namespace', (s) => s.op === 'unshare' && s.detail === 'CLONE_NEWUSER'),
      at('uid map', (s) => s.concept === 'namespace' && /\/uid_map = 0 100000 65536$/.test(s.detail)),
      at('gid map', (s) => s.concept === 'namespace' && /\/gid_map = 0 100000 65536$/.test(s.detail)),
      at('cgroup directory', (s) => s.concept === 'cgroup' && s.op === 'mkdir' && s.detail.endsWith(`/memory/vessel/${id}`)),
      at('memory limit', (s) => s.concept === 'cgroup' && s.detail === `/sys/fs/cgroup/memory/vessel/${id}/memory.limit_in_bytes = ${MEMORY}`),
      at('unshare of the other namespaces', (s) => s.op === 'unshare' && /CLONE_NEWNS/.test(s.detail) && /CLONE_NEWPID/.test(s.detail)),
      at('fork into the pid namespace', (s) => s.op === 'clone' && /^CLONE_PARENT\|SIGCHLD -> pid \d+$/.test(s.detail)),
      at('proc mount', (s) => s.concept === 'rootfs' && s.op === 'mount' && /^proc on .*\/rootfs\/proc type proc flags /.test(s.detail)),
      at('pivot_root', (s) => s.op === 'pivot_root' && s.detail.startsWith(b.rootfs)),
      at('masked path', (s) => s.op === 'mask' && s.detail === '/proc/kcore'),
      at('read-only path', (s) => s.op === 'readonly' && s.detail === '/proc/sys'),
      at('bounding set', (s) => s.op === 'capbset' && /^bounding 3: kill,net_bind_service,audit_write$/.test(s.detail)),
      at('capabilities', (s) => s.op === 'capset' && /effective 3: .*; permitted 3: .*; inheritable none; ambient none$/.test(s.detail)),
      at('seccomp', (s) => s.concept === 'security' && /^\d+ rules, \d+ BPF instructions, flags \d+$/.test(s.detail)),
      at('execve', (s) => s.op === 'execve' && s.detail === '/bin/echo argv ["echo","traced"] env PATH,TOKEN'),
    ];
    assert.deepEqual(order, [...order].sort((x, y) => x - y), `steps out of order: ${order}`);
    const seccomp = steps[order[14]!]!;
    const [rules, instructions] = seccomp.detail.match(/\d+/g)!.map(Number);
    assert.ok(rules! > 300 && instructions! > rules!, seccomp.detail);
    assert.ok(!r.stderr.includes('not-for-the-trace'), 'environment values stay out of the trace');
    // the container's own steps come from its processes: the init is pid 1 of its namespace
    assert.equal(steps[order[9]!]!.pid, 1);
  });

  it('prints an aligned text timeline on stderr, without colour off a terminal', () => {
    const id = uniqueId('trace');
    ids.push(id);
    b.write(spec(['true']));
    const r = b.runtime(['--trace', 'run', id]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^trace: \d+ steps in \d+ µs\n/);
    assert.match(r.stderr, /\n\s+\d+\s+\d+\s+\[rootfs\]\s+1\s+pivot_root\s+\//);
    assert.match(r.stderr, /\n\s+\d+\s+\d+\s+\[cgroup\]\s+\d+\s+write\s+\/sys\/fs\/cgroup\/memory\/vessel\/\S+\/memory.limit_in_bytes = 67108864\n/);
    assert.ok(!r.stderr.includes('\x1b['));
  });

  it('colours the concepts on a terminal', () => {
    const id = uniqueId('trace');
    ids.push(id);
    b.write(spec(['true']));
    // script(1) gives the runtime a pseudo-terminal as its stdout and stderr
    const command = [process.execPath, RUNTIME_BIN, '--root', b.stateRoot, '--trace', 'run', '--bundle', b.dir, id].join(' ');
    const { NO_COLOR: _, ...env } = process.env;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 20_000, env });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\x1b\[34m\[rootfs\]\s*\x1b\[0m\s+1\s+pivot_root/);
    assert.match(r.stdout, /\x1b\[31m\[security\]\s*\x1b\[0m\s+1\s+capset/);
  });

  it('writes a Chrome trace file that Perfetto can load', () => {
    const id = uniqueId('trace');
    ids.push(id);
    b.write(spec(['true']));
    const file = join(b.dir, 'run.trace.json');
    const r = b.runtime([`--trace=${file}`, 'run', id]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Record<string, unknown>[]; displayTimeUnit: string };
    assert.ok(Array.isArray(trace.traceEvents));
    const complete = trace.traceEvents.filter((e) => e.ph === 'X');
    for (const e of complete) {
      assert.equal(typeof e.name, 'string');
      assert.ok((CONCEPTS as readonly string[]).includes(e.cat as string));
      assert.ok(typeof e.ts === 'number' && typeof e.dur === 'number' && (e.dur as number) >= 1);
      assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid));
    }
    const ops = complete.map((e) => (e.args as { op: string }).op);
    for (const op of ['clone', 'unshare', 'mount', 'pivot_root', 'capset', 'seccomp', 'execve']) assert.ok(ops.includes(op), `no ${op} event`);
    const meta = trace.traceEvents.filter((e) => e.ph === 'M');
    assert.ok(meta.some((e) => e.name === 'process_name' && /vessel-runtime .*run/.test((e.args as { name: string }).name)));
    // one thread per process: the runtime, the plan's first process, the container's init
    assert.ok(new Set(complete.map((e) => e.tid)).size >= 3);
  });

  it('create alone ends at the exec fifo; start shows the fifo write', () => {
    const id = uniqueId('trace');
    ids.push(id);
    b.write(spec(['true']));
    const created = b.runtime(['--trace=json', 'create', id]);
    assert.equal(created.status, 0, created.stderr);
    const steps = jsonSteps(created.stderr);
    const last = steps.filter((s) => s.pid === 1).at(-1)!;
    assert.deepEqual([last.op, last.detail], ['sync', 'set up: the runtime records "created"']);
    assert.ok(!steps.some((s) => s.op === 'execve' && s.pid === 1));
    const started = b.runtime(['--trace=json', 'start', id]);
    assert.equal(started.status, 0, started.stderr);
    assert.deepEqual(jsonSteps(started.stderr).map((s) => [s.concept, s.op]), [['process', 'write']]);
    assert.equal(b.runtime(['delete', '--force', id]).status, 0);
  });

  it('makes no system call a seccomp filter could refuse once the filter is in', () => {
    const id = uniqueId('trace');
    ids.push(id);
    // a filter that kills the process on getpid: recording a step must not call it
    b.write(spec(['true'], (s) => {
      s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['getpid'], action: 'SCMP_ACT_KILL_PROCESS' }] };
    }));
    const r = b.runtime(['--trace=json', 'run', id]);
    assert.equal(r.status, 0, r.stderr);
    const steps = jsonSteps(r.stderr);
    const seccomp = steps.findIndex((s) => s.concept === 'security' && s.op === 'seccomp' && s.pid === 1);
    assert.match(steps[seccomp]!.detail, /^1 rules, \d+ BPF instructions/);
    assert.ok(steps.findIndex((s) => s.op === 'execve' && s.pid === 1) > seccomp);
  });

  it('shows the step that failed, with its errno, when setup fails', () => {
    const id = uniqueId('trace');
    b.write(spec(['true'], (s) => (s.process!.cwd = '/no/such/dir')));
    const r = b.runtime(['--trace=json', 'run', id]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /container setup failed: chdir\(\/no\/such\/dir, 1\)/);
    const failed = jsonSteps(r.stderr).filter((s) => s.error);
    assert.deepEqual(failed.map((s) => [s.op, s.detail, s.error]), [['chdir', '/no/such/dir (checked inside the root)', 'ENOENT']]);
    assert.deepEqual(cgroupLeft(id), []);
  });
});
