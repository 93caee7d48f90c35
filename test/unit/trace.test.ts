// The trace model, the join of native records with a plan, and the three output formats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloneFlag, MountFlag } from '../../src/sys/native.js';
import { Op, type PlanOp } from '../../src/sys/plan.js';
import { chromeTrace } from '../../src/trace/output/chrome.js';
import { formatJsonLines } from '../../src/trace/output/json.js';
import { parseTraceOption, TraceOptionError } from '../../src/trace/output/option.js';
import { formatText } from '../../src/trace/output/text.js';
import type { NativeRecord } from '../../src/trace/native-records.js';
import { planSteps } from '../../src/trace/plan-steps.js';
import type { TraceStep } from '../../src/trace/step.js';
import { NO_TRACE, RecordingTracer } from '../../src/trace/tracer.js';

const rec = (opIndex: number, startUs: number, extra: Partial<NativeRecord> = {}): NativeRecord => ({ opIndex, pid: 7, result: 0, detail: 0, startUs, endUs: startUs + 3, ...extra });

describe('trace', () => {
  it('costs a disabled tracer nothing but the call', () => {
    let calls = 0;
    assert.equal(NO_TRACE.span('cgroup', 'write', () => { throw new Error('detail must not be computed'); }, () => ++calls), 1);
    NO_TRACE.add({ concept: 'process', op: 'x', detail: '', atUs: 0, durUs: 0, pid: 1 });
    assert.deepEqual(NO_TRACE.steps(), []);
  });

  it('records spans with their result, and failures with their errno code', () => {
    const t = new RecordingTracer();
    assert.equal(t.span('network', 'RTM_GETLINK', (i) => `eth0 -> index ${i}`, () => 4), 4);
    const enoent = Object.assign(new Error('no such device'), { code: 'ENODEV' });
    assert.throws(() => t.span('network', 'RTM_DELLINK', 'veth0', () => { throw enoent; }), /no such device/);
    const steps = t.steps();
    assert.deepEqual(steps.map((s) => [s.op, s.detail, s.error]), [['RTM_GETLINK', 'eth0 -> index 4', undefined], ['RTM_DELLINK', 'veth0', 'ENODEV']]);
    assert.ok(steps.every((s) => s.startUs >= 0 && s.durUs >= 0 && s.pid === process.pid));
  });

  it('joins native records with the plan that made them', () => {
    const ops: PlanOp[] = [
      [Op.UNSHARE, CloneFlag.NEWNS | CloneFlag.NEWPID],
      [Op.FORK, 0x8000, -1],
      [Op.OPEN_ROOT, '/b/rootfs', 9],
      [Op.MOUNT_AT, 9, 'proc', 'proc', 'proc', MountFlag.NOSUID | MountFlag.NODEV, ''],
      [Op.PIVOT_ROOT, '/b/rootfs'],
      [Op.CAPSET, 0b101, 0, 0b101, 0, 0, 0],
      [Op.SECCOMP, Buffer.alloc(8 * 12), 0],
      [Op.EXEC, ['/usr/bin/true', '/bin/true'], ['true', '-x'], ['PATH=/bin', 'SECRET=hunter2']],
    ];
    const records = [
      rec(-1, 100), rec(0, 110), rec(1, 120, { detail: 4242 }), rec(2, 130, { pid: 1 }), rec(3, 140, { pid: 1 }),
      rec(4, 150, { pid: 1, result: 1, detail: 2 }), rec(5, 160, { pid: 1 }), rec(6, 170, { pid: 1 }),
      rec(7, 180, { pid: 1, detail: 0 }), rec(7, 181, { pid: 1, detail: 1 }),
    ];
    const steps = planSteps(ops, records, { seccompRules: 5 });
    const line = (i: number) => `${steps[i]!.concept} ${steps[i]!.op} ${steps[i]!.detail}`;
    assert.equal(line(0), 'process execveat vessel-nsexec from its sealed memfd; plan read');
    assert.equal(line(1), 'namespace unshare CLONE_NEWNS|CLONE_NEWPID');
    assert.equal(line(2), 'process clone CLONE_PARENT|SIGCHLD -> pid 4242');
    assert.equal(line(4), 'rootfs mount proc on /b/rootfs/proc type proc flags MS_NOSUID|MS_NODEV');
    assert.equal(steps[5]!.op, 'pivot_root');
    assert.equal(steps[5]!.error, 'EPERM');
    assert.match(line(6), /^security capset effective 2: chown,dac_read_search; permitted 2: chown,dac_read_search; inheritable none; ambient none$/);
    assert.equal(line(7), 'security seccomp 5 rules, 12 BPF instructions, flags 0');
    // two execve attempts (a PATH search) are one step naming the program that ran; env: names only
    assert.equal(steps.length, 9);
    assert.equal(line(8), 'process execve /bin/true argv ["true","-x"] env PATH,SECRET');
    assert.equal(steps[8]!.atUs, 180);
    assert.ok(!JSON.stringify(steps).includes('hunter2'));
  });

  it('reads --trace values', () => {
    assert.deepEqual(parseTraceOption(true), { format: 'text' });
    assert.deepEqual(parseTraceOption('json'), { format: 'json' });
    assert.deepEqual(parseTraceOption('/tmp/run.json'), { format: 'chrome', file: '/tmp/run.json' });
    assert.throws(() => parseTraceOption('yaml'), TraceOptionError);
  });

  const steps: TraceStep[] = [
    { concept: 'namespace', op: 'unshare', detail: 'CLONE_NEWNS', startUs: 5, durUs: 12, pid: 40 },
    { concept: 'cgroup', op: 'write', detail: '/sys/fs/cgroup/memory/x/memory.limit_in_bytes = 67108864', startUs: 20, durUs: 0, pid: 9, error: 'EINVAL' },
  ];

  it('prints an aligned text timeline, coloured only when asked', () => {
    const plain = formatText(steps, false).split('\n');
    assert.equal(plain[0], 'trace: 2 steps in 20 µs');
    assert.ok(!plain.join('').includes('\x1b['));
    const detailAt = plain[1]!.indexOf('detail');
    assert.equal(plain[2]!.indexOf('CLONE_NEWNS'), detailAt);
    assert.equal(plain[3]!.indexOf('/sys/fs'), detailAt);
    assert.match(plain[3]!, /^\s+20\s+0\s+\[cgroup\]\s+9\s+write\s+.*failed: EINVAL$/);
    assert.ok(formatText(steps, true).includes('\x1b[35m[namespace]'));
  });

  it('writes one JSON object per line', () => {
    const lines = formatJsonLines(steps).trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines[1], { startUs: 20, durUs: 0, concept: 'cgroup', op: 'write', detail: steps[1]!.detail, pid: 9, error: 'EINVAL' });
  });

  it('writes Chrome trace events, one thread per process', () => {
    const t = chromeTrace(steps, 'vessel run busybox', 9);
    const x = t.traceEvents.filter((e) => e.ph === 'X');
    assert.deepEqual(x.map((e) => [e.cat, e.ts, e.dur, e.pid, e.tid]), [['namespace', 5, 12, 9, 40], ['cgroup', 20, 1, 9, 9]]);
    const names = t.traceEvents.filter((e) => e.ph === 'M').map((e) => `${e.name}:${e.tid}`);
    assert.deepEqual(names.sort(), ['process_name:9', 'thread_name:40', 'thread_name:9']);
  });
});
