// Compiled filters installed for real (OP_SECCOMP in a plan) in front of busybox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { LinuxSeccomp } from '../../src/oci/spec.js';
import { compileSeccomp, defaultSeccompProfile } from '../../src/seccomp/index.js';
import { CloneFlag, sys } from '../../src/sys/native.js';
import { CHILD_MESSAGE_SIZE, decodeChildMessage, MsgType, Op, opName, type PlanOp } from '../../src/sys/plan.js';
import { BUSYBOX, requireBusybox, tempDir } from '../fixtures/busybox.js';

const PR_SET_NO_NEW_PRIVS = 38;
const SIGSYS = 31;
const RLIMIT_CORE = 4;
const DOCKER_CAPS = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];

interface Outcome {
  exitCode: number | null;
  signal: number | null;
  output: string;
}

/** Runs busybox `argv` in a new UTS namespace under `profile`; returns how it ended. */
function runUnder(profile: LinuxSeccomp, argv: string[]): Outcome {
  requireBusybox();
  const { dir, cleanup } = tempDir('vessel-seccomp-');
  const [parentEnd, childEnd] = sys().socketPair();
  const outPath = join(dir, 'out');
  const out = openSync(outPath, 'w');
  let pid = -1;
  try {
    const { filter, flags } = compileSeccomp(profile);
    const ops: PlanOp[] = [
      // A private hostname, so that a sethostname that gets through changes nothing on the host.
      [Op.UNSHARE, CloneFlag.NEWUTS],
      // A process killed by SIGSYS would dump core into the working directory.
      [Op.RLIMIT, RLIMIT_CORE, 0n, 0n],
      [Op.DUP2, out, 1],
      [Op.DUP2, out, 2],
      [Op.PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0],
      [Op.SECCOMP, filter, flags],
      [Op.EXEC, [BUSYBOX], ['busybox', ...argv], ['PATH=/bin']],
    ];
    pid = sys().spawnPlan(childEnd, ops);
    closeSync(childEnd);
    const msg = Buffer.alloc(CHILD_MESSAGE_SIZE);
    // A successful exec closes the socket (close-on-exec): EOF. Anything else is a plan failure.
    const n = readSync(parentEnd, msg);
    if (n === CHILD_MESSAGE_SIZE) {
      const m = decodeChildMessage(msg);
      if (m.type === MsgType.ERROR) assert.fail(`plan failed at ${opName(ops[m.opIndex]![0])}: ${sys().strerror(m.value)}`);
    }
    const status = sys().waitPidSync(pid)!;
    pid = -1;
    return { exitCode: status.exitCode, signal: status.signal, output: readFileSync(outPath, 'utf8') };
  } finally {
    if (pid > 0) {
      process.kill(pid, 'SIGKILL');
      sys().waitPidSync(pid);
    }
    closeSync(parentEnd);
    closeSync(out);
    cleanup();
  }
}

const allowAllBut = (action: LinuxSeccomp['defaultAction'], names: string[], errnoRet?: number): LinuxSeccomp => ({
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [errnoRet === undefined ? { names, action } : { names, action, errnoRet }],
});

test('an allowed syscall works', () => {
  const r = runUnder(allowAllBut('SCMP_ACT_ERRNO', ['keyctl']), ['hostname', 'vessel-ok']);
  assert.equal(r.exitCode, 0, r.output);
  const shown = runUnder(allowAllBut('SCMP_ACT_ERRNO', ['keyctl']), ['sh', '-c', 'hostname vessel-ok && hostname']);
  assert.equal(shown.output.trim(), 'vessel-ok');
});

test('SCMP_ACT_ERRNO makes the syscall fail with EPERM, or with errnoRet', () => {
  const eperm = runUnder(allowAllBut('SCMP_ACT_ERRNO', ['sethostname']), ['hostname', 'blocked']);
  assert.equal(eperm.exitCode, 1);
  assert.match(eperm.output, /Operation not permitted/);
  const custom = runUnder(allowAllBut('SCMP_ACT_ERRNO', ['sethostname'], 38), ['hostname', 'blocked']);
  assert.equal(custom.exitCode, 1);
  assert.match(custom.output, /Function not implemented/);
});

test('argument comparisons are enforced by the kernel', () => {
  // uname(2) is allowed; sethostname only with a name length of exactly 7 ("vessel7")
  const profile: LinuxSeccomp = {
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [{ names: ['sethostname'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [{ index: 1, value: 7, op: 'SCMP_CMP_NE' }] }],
  };
  assert.equal(runUnder(profile, ['hostname', 'vessel7']).exitCode, 0);
  const denied = runUnder(profile, ['hostname', 'vessel-8']);
  assert.equal(denied.exitCode, 1);
  assert.match(denied.output, /Permission denied/);
});

test('SCMP_ACT_KILL_PROCESS kills with SIGSYS', () => {
  const r = runUnder(allowAllBut('SCMP_ACT_KILL_PROCESS', ['sethostname']), ['hostname', 'killed']);
  assert.equal(r.signal, SIGSYS);
});

test('the default profile: no unshare or sethostname without CAP_SYS_ADMIN, even for root', () => {
  const profile = defaultSeccompProfile(DOCKER_CAPS);
  const ok = runUnder(profile, ['sh', '-c', 'echo hello; grep Seccomp: /proc/self/status']);
  assert.equal(ok.exitCode, 0, ok.output);
  assert.match(ok.output, /^hello\nSeccomp:\s+2\n/); // 2: SECCOMP_MODE_FILTER
  const unshare = runUnder(profile, ['unshare', '-U', 'true']);
  assert.notEqual(unshare.exitCode, 0);
  assert.match(unshare.output, /Operation not permitted/);
  const hostname = runUnder(profile, ['hostname', 'nope']);
  assert.equal(hostname.exitCode, 1);
  assert.match(hostname.output, /Operation not permitted/);

  const admin = defaultSeccompProfile([...DOCKER_CAPS, 'CAP_SYS_ADMIN']);
  assert.equal(runUnder(admin, ['hostname', 'vessel-admin']).exitCode, 0);
});
