// The container supervisor driven the way the engine drives it: one plan whose first step forks;
// the child becomes the "container" (a plain busybox shell here: no namespaces needed), the parent
// execs vessel-supervisor, and the container's pid reaches it through --pid-fd.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sys } from '../../src/sys/native.js';
import { CHILD_MESSAGE_SIZE, decodeChildMessage, MsgType, Op, type PlanOp } from '../../src/sys/plan.js';
import { pipe } from '../../src/sys/pipe.js';
import { attach, readExitFile, readLogs, supervisorLaunchOps, timeToNanos, type LogEntry } from '../../src/engine/supervisor/index.js';
import { BUSYBOX, requireBusybox, tempDir } from '../fixtures/busybox.js';

interface Launch {
  dir: string;
  /** The container's shell script, or one made from the test's directory. */
  script: string | ((dir: string) => string);
  stdin?: boolean;
  tty?: boolean;
  logMaxSize?: number;
  /** Put the attach socket at a path longer than sockaddr_un can hold. */
  longSocketPath?: boolean;
  /** Leave writing the pid to the test (through Launched.pidWriteFd, which it then closes). */
  holdPid?: boolean;
  /** The on-exit command, given the test's directory. */
  onExit?: (dir: string) => string[];
}

interface Launched {
  supervisorPid: number;
  containerPid: number;
  log: string;
  exitFile: string;
  socket: string;
  pidFile: string;
  pidWriteFd?: number;
}

const ENV = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/'];

function readMessages(fd: number): { containerPid: number } {
  const buf = Buffer.alloc(CHILD_MESSAGE_SIZE);
  let containerPid = 0;
  // Both sides close the sync socket at exec (it is close-on-exec): EOF means both are running.
  while (readSync(fd, buf, 0, CHILD_MESSAGE_SIZE, null) === CHILD_MESSAGE_SIZE) {
    const m = decodeChildMessage(buf);
    if (m.type === MsgType.PID && m.opIndex === 0) containerPid = m.value;
    if (m.type === MsgType.ERROR) throw new Error(`plan op ${m.opIndex} failed: ${sys().strerror(m.value)}`);
  }
  assert.ok(containerPid > 0, 'no MSG_PID from the fork');
  return { containerPid };
}

function launch(l: Launch): Launched {
  const paths = {
    log: join(l.dir, 'ctr.log'),
    exitFile: join(l.dir, 'exit.json'),
    socket: l.longSocketPath ? join(l.dir, 'd'.repeat(120), 'attach.sock') : join(l.dir, 'attach.sock'),
    pidFile: join(l.dir, 'supervisor.pid'),
  };
  mkdirSync(dirname(paths.socket), { recursive: true });
  const owned: number[] = [];
  const keep = <T extends number[]>(fds: T): T => (owned.push(...fds), fds);
  try {
    const [syncParent, syncChild] = keep(sys().socketPair());
    const [pidR, pidW] = keep(pipe());
    const devNull = keep([openSync('/dev/null', 'r+')])[0]!;
    const script = typeof l.script === 'string' ? l.script : l.script(l.dir);
    const exec: PlanOp = [Op.EXEC, [BUSYBOX], ['sh', '-c', script], ENV];
    let containerOps: PlanOp[];
    let fds: Parameters<typeof supervisorLaunchOps>[0]['fds'];
    if (l.tty) {
      const [consoleChild, consoleSupervisor] = keep(sys().socketPair());
      containerOps = [[Op.SETSID], [Op.TERMINAL, consoleChild], exec];
      fds = { pid: pidR, console: consoleSupervisor };
    } else {
      const [outR, outW] = keep(pipe());
      const [errR, errW] = keep(pipe());
      const [inR, inW] = l.stdin ? keep(pipe()) : [devNull, undefined];
      containerOps = [[Op.DUP2, inR, 0], [Op.DUP2, outW, 1], [Op.DUP2, errW, 2], exec];
      fds = { pid: pidR, stdout: outR, stderr: errR, ...(inW === undefined ? {} : { stdin: inW }) };
    }
    const supervisorOps = supervisorLaunchOps({
      id: 'test',
      fds,
      stdioFd: devNull,
      logPath: paths.log,
      exitFile: paths.exitFile,
      attachSocket: paths.socket,
      pidFile: paths.pidFile,
      ...(l.logMaxSize ? { logMaxSize: l.logMaxSize } : {}),
      ...(l.onExit ? { onExit: l.onExit(l.dir) } : {}),
    });
    const plan: PlanOp[] = [[Op.FORK, 0, 1 + containerOps.length], ...containerOps, ...supervisorOps];
    const supervisorPid = sys().spawnPlan(syncChild, plan);
    closeSync(syncChild);
    owned.splice(owned.indexOf(syncChild), 1);
    let containerPid: number;
    try {
      ({ containerPid } = readMessages(syncParent));
    } catch (err) {
      killIfAlive(supervisorPid);
      sys().waitPidSync(supervisorPid);
      throw err;
    }
    if (!l.holdPid) {
      writeSync(pidW, `${containerPid}\n`);
      return { supervisorPid, containerPid, ...paths };
    }
    owned.splice(owned.indexOf(pidW), 1);
    return { supervisorPid, containerPid, ...paths, pidWriteFd: pidW };
  } finally {
    for (const fd of owned) closeSync(fd);
  }
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function killIfAlive(pid: number): void {
  try {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs a test with a temp dir; kills what it started and reaps the supervisor, even on failure. */
async function withSupervisor(l: Omit<Launch, 'dir'>, body: (s: Launched, dir: string) => Promise<void>): Promise<void> {
  requireBusybox();
  const { dir, cleanup } = tempDir('vessel-supervisor-');
  let s: Launched | undefined;
  try {
    s = launch({ ...l, dir });
    await body(s, dir);
  } finally {
    if (s) {
      if (s.pidWriteFd !== undefined) closeSync(s.pidWriteFd);
      killIfAlive(s.containerPid);
      killIfAlive(s.supervisorPid);
      await sys().waitPid(s.supervisorPid).catch(() => undefined);
    }
    cleanup();
  }
}

async function collect(it: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

function vmRssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'no VmRSS');
  return Number(m[1]);
}

const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

test('logs both streams in order, writes the exit file, runs --on-exit and leaves nothing behind', async () => {
  await withSupervisor(
    {
      // Two pipes carry no order between them (as with docker): pauses make the interleaving certain.
      script: 'echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo "quote\\" tab\t"; printf partial; exit 3',
      onExit: (dir) => [BUSYBOX, 'sh', '-c', 'cat "$0/exit.json" > "$0/on-exit.seen"', dir],
    },
    async (s, dir) => {
      const started = Date.now();
      const result = await sys().waitPid(s.supervisorPid);
      assert.deepEqual({ exitCode: result.exitCode, signal: result.signal }, { exitCode: 0, signal: null });

      const lines = readFileSync(s.log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      assert.deepEqual(
        lines.map((l) => [l.stream, l.log]),
        [['stdout', 'out1\n'], ['stderr', 'err1\n'], ['stdout', 'quote" tab\t\n'], ['stdout', 'partial']],
      );
      for (const l of lines) {
        assert.match(l.time!, RFC3339_NANO);
        assert.ok(Math.abs(Date.parse(l.time!) - started) < 10_000, `time ${l.time} is not now`);
      }
      assert.deepEqual(Object.keys(lines[0]!), ['log', 'stream', 'time']);

      const exit = readExitFile(s.exitFile);
      assert.ok(exit);
      assert.equal(exit.exitCode, 3);
      assert.equal(exit.signal, null);
      assert.match(exit.finishedAt, RFC3339_NANO);

      assert.equal(existsSync(s.socket), false, 'attach socket left behind');
      assert.equal(existsSync(s.pidFile), false, 'pid file left behind');
      assert.equal(alive(s.containerPid), false, 'container still there');
      // --on-exit ran after the exit file was complete
      const seen = join(dir, 'on-exit.seen');
      await waitFor('the on-exit program', () => existsSync(seen) && readFileSync(seen, 'utf8').length > 0);
      assert.deepEqual(JSON.parse(readFileSync(seen, 'utf8')), exit);
    },
  );
});

test('records the signal of a killed container and stays within 2 MB of RSS under output', async (t) => {
  await withSupervisor({ script: 'seq 1 20000; seq 1 3000 >&2; echo ready; exec sleep 60' }, async (s) => {
    await waitFor('the ready line', () => existsSync(s.log) && readFileSync(s.log, 'utf8').includes('"ready\\n"'));
    const rss = vmRssKb(s.supervisorPid);
    t.diagnostic(`supervisor VmRSS after 23000 lines: ${rss} kB`);
    assert.ok(rss <= 2048, `supervisor VmRSS ${rss} kB > 2048 kB`);
    const lines = readFileSync(s.log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string });
    const out = lines.filter((l) => l.stream === 'stdout').map((l) => l.log);
    assert.deepEqual(out.slice(0, 20000), Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`));
    assert.equal(lines.filter((l) => l.stream === 'stderr').length, 3000);

    process.kill(s.containerPid, 'SIGKILL');
    const result = await sys().waitPid(s.supervisorPid);
    assert.equal(result.exitCode, 0);
    assert.deepEqual({ ...readExitFile(s.exitFile), finishedAt: '' }, { exitCode: 137, signal: 9, finishedAt: '' });
  });
});

test('rotates the log at --log-max-size, keeping one old file, and readLogs reads across both', async () => {
  const max = 2000;
  await withSupervisor({ script: 'for i in $(seq 1 100); do echo "line $i"; done', logMaxSize: max }, async (s) => {
    await sys().waitPid(s.supervisorPid);
    assert.ok(existsSync(`${s.log}.1`), 'no rotated file');
    assert.equal(existsSync(`${s.log}.2`), false);
    for (const f of [s.log, `${s.log}.1`]) assert.ok(statSync(f).size <= max, `${f} is ${statSync(f).size} bytes`);

    const all = await collect(readLogs(s.log));
    const numbers = all.map((e) => Number(/^line (\d+)\n$/.exec(e.line)?.[1]));
    assert.equal(numbers.at(-1), 100);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => 101 - numbers.length + i), 'not contiguous');

    const tail = await collect(readLogs(s.log, { tail: 3, timestamps: true }));
    assert.deepEqual(tail.map((e) => e.line.replace(/^\S+ /, '')), ['line 98\n', 'line 99\n', 'line 100\n']);
    for (const e of tail) assert.equal(e.line.split(' ')[0], e.time);
  });
});

test('readLogs --since and --until select by the entries\' times, inclusively', async () => {
  await withSupervisor({ script: 'echo a; sleep 0.2; echo b; sleep 0.2; echo c' }, async (s) => {
    await sys().waitPid(s.supervisorPid);
    const all = await collect(readLogs(s.log));
    assert.deepEqual(all.map((e) => e.line), ['a\n', 'b\n', 'c\n']);
    // lines read together share a time, so expectations come from the times themselves
    const b = timeToNanos(all[1]!.time);
    const at = (e: LogEntry) => timeToNanos(e.time);
    assert.deepEqual(await collect(readLogs(s.log, { since: all[1]!.time })), all.filter((e) => at(e) >= b));
    assert.deepEqual(await collect(readLogs(s.log, { until: all[1]!.time })), all.filter((e) => at(e) <= b));
    const later = new Date(Number(b / 1_000_000n) + 1);
    assert.deepEqual(await collect(readLogs(s.log, { since: later })), all.filter((e) => at(e) >= b + 1_000_000n - (b % 1_000_000n)));
  });
});

test('readLogs --follow sees every line across rotations and ends with the container', async () => {
  const script = 'for i in $(seq 1 40); do echo "follow $i"; usleep 20000; done';
  await withSupervisor({ script, logMaxSize: 700 }, async (s) => {
    const seen = await collect(readLogs(s.log, { follow: true, pollMs: 10, stopWhen: () => existsSync(s.exitFile) }));
    assert.deepEqual(
      seen.map((e) => e.line),
      Array.from({ length: 40 }, (_, i) => `follow ${i + 1}\n`),
    );
    assert.ok(existsSync(`${s.log}.1`), 'the log never rotated');
    assert.ok(readExitFile(s.exitFile));
  });
});

test('attach relays live output per stream, forwards stdin and its end, and closes after the exit file', async (t) => {
  const script = 'read a; echo "got $a"; read b; echo "err $b" >&2; cat; echo done';
  await withSupervisor({ script, stdin: true }, async (s) => {
    await waitFor('the attach socket', () => existsSync(s.socket));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d));
    stderr.on('data', (d: Buffer) => (err += d));
    const session = await attach(s.socket, { stdin, stdout, stderr });
    const rssAttached = vmRssKb(s.supervisorPid);
    t.diagnostic(`supervisor VmRSS with a client attached: ${rssAttached} kB`);
    stdin.write('one\n');
    await waitFor('stdout', () => out === 'got one\n');
    stdin.write('two\n');
    await waitFor('stderr', () => err === 'err two\n');
    stdin.write('rest');
    stdin.end();
    const { ended } = await session.done;
    assert.equal(ended, true);
    assert.equal(out, 'got one\nrestdone\n');
    assert.ok(readExitFile(s.exitFile), 'the session ended before the exit file was written');
    assert.ok(rssAttached <= 2048, `VmRSS ${rssAttached} kB with a client`);
    await sys().waitPid(s.supervisorPid);
  });
});

test('a slow attach client loses nothing: the container waits for it', async () => {
  const script = 'read x; seq 1 60000 & seq 1 30000 >&2; wait';
  await withSupervisor({ script, stdin: true }, async (s) => {
    await waitFor('the attach socket', () => existsSync(s.socket));
    const received = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const slow = (into: Buffer[]) =>
      new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _enc, done) {
          into.push(chunk);
          setTimeout(done, 1);
        },
      });
    const stdin = new PassThrough();
    const session = await attach(s.socket, { stdin, stdout: slow(received.stdout), stderr: slow(received.stderr) });
    stdin.write('go\n');
    await session.done;
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');
    assert.equal(Buffer.concat(received.stdout).toString(), lines(60000));
    assert.equal(Buffer.concat(received.stderr).toString(), lines(30000));
  });
});

test('a container that ends before its pid arrives is still reaped and recorded', async () => {
  await withSupervisor({ script: 'echo early; exit 5', holdPid: true }, async (s) => {
    await waitFor('the container to end', () => !alive(s.containerPid));
    assert.equal(readExitFile(s.exitFile), null, 'exit file before the pid was known');
    writeSync(s.pidWriteFd!, `${s.containerPid}\n`);
    const result = await sys().waitPid(s.supervisorPid);
    assert.equal(result.exitCode, 0);
    assert.equal(readExitFile(s.exitFile)?.exitCode, 5);
    assert.deepEqual((await collect(readLogs(s.log))).map((e) => e.line), ['early\n']);
  });
});

test('exits 1 without an exit file when --pid-fd closes without a pid', async () => {
  await withSupervisor({ script: 'exec sleep 60', holdPid: true }, async (s) => {
    closeSync(s.pidWriteFd!);
    delete s.pidWriteFd;
    const result = await sys().waitPid(s.supervisorPid);
    assert.equal(result.exitCode, 1);
    assert.equal(existsSync(s.exitFile), false);
    assert.equal(existsSync(s.socket), false);
  });
});

test('a terminal container: the pty master arrives over --console-fd; raw output, stdin and resize', async () => {
  const script = 'read x; stty size; echo "x=$x"';
  await withSupervisor({ script, tty: true, longSocketPath: true }, async (s) => {
    assert.ok(s.socket.length > 108);
    await waitFor('the attach socket', () => existsSync(s.socket));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d));
    const session = await attach(s.socket, { stdin, stdout, stderr, tty: true });
    session.resize(33, 101);
    stdin.write('hi\r');
    assert.equal((await session.done).ended, true);
    assert.match(out, /33 101\r\n/);
    assert.match(out, /x=hi\r\n/);
    const logged = await collect(readLogs(s.log));
    assert.ok(logged.every((e) => e.stream === 'stdout'));
    assert.equal(logged.map((e) => e.line).join(''), out);
    assert.equal(readExitFile(s.exitFile)?.exitCode, 0);
  });
});

test('stops waiting for output held open by a process that escaped the container', async () => {
  const script = (dir: string) => `sleep 20 & echo $! > ${dir}/escaped.pid; echo main`;
  await withSupervisor({ script }, async (s, dir) => {
    const escaped = () => Number(readFileSync(join(dir, 'escaped.pid'), 'utf8'));
    try {
      const started = Date.now();
      const result = await sys().waitPid(s.supervisorPid);
      assert.equal(result.exitCode, 0);
      assert.ok(Date.now() - started < 5000, 'waited for the escaped process');
      assert.ok(alive(escaped()), 'the escaped process is gone, so the test proves nothing');
      assert.equal(readExitFile(s.exitFile)?.exitCode, 0);
      assert.deepEqual((await collect(readLogs(s.log))).map((e) => e.line), ['main\n']);
    } finally {
      killIfAlive(escaped());
    }
  });
});

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A Node process that launches a supervised container the engine's way, prints the pids, and exits. */
const launcherSource = (dir: string) => `
  import { closeSync, openSync, readSync, writeSync } from 'node:fs';
  import { sys } from '${root}src/sys/native.ts';
  import { pipe } from '${root}src/sys/pipe.ts';
  import { Op, MsgType, decodeChildMessage } from '${root}src/sys/plan.ts';
  import { supervisorLaunchOps } from '${root}src/engine/supervisor/index.ts';
  const [syncParent, syncChild] = sys().socketPair();
  const [pidR, pidW] = pipe(), [outR, outW] = pipe(), [errR, errW] = pipe();
  const devNull = openSync('/dev/null', 'r+');
  const container = [[Op.DUP2, devNull, 0], [Op.DUP2, outW, 1], [Op.DUP2, errW, 2],
    [Op.EXEC, ['${BUSYBOX}'], ['sh', '-c', 'sleep 1; echo late'], ['PATH=/bin']]];
  const supervisor = supervisorLaunchOps({ id: 'orphan', fds: { pid: pidR, stdout: outR, stderr: errR }, stdioFd: devNull,
    logPath: '${dir}/ctr.log', exitFile: '${dir}/exit.json', attachSocket: '${dir}/attach.sock' });
  const supervisorPid = sys().spawnPlan(syncChild, [[Op.FORK, 0, 1 + container.length], ...container, ...supervisor]);
  closeSync(syncChild);
  const buf = Buffer.alloc(16);
  let containerPid = 0;
  while (readSync(syncParent, buf, 0, 16, null) === 16) {
    const m = decodeChildMessage(buf);
    if (m.type === MsgType.PID && m.opIndex === 0) containerPid = m.value;
  }
  writeSync(pidW, containerPid + '\\n');
  process.stdout.write(JSON.stringify({ supervisorPid, containerPid, launcherPid: process.pid }));
`;

test('the supervisor outlives the Node process that launched it', async () => {
  requireBusybox();
  const { dir, cleanup } = tempDir('vessel-supervisor-');
  let pids: { supervisorPid: number; containerPid: number; launcherPid: number } | undefined;
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', launcherSource(dir)], {
      encoding: 'utf8',
      cwd: root,
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    pids = JSON.parse(r.stdout) as typeof pids & object;
    assert.equal(alive(pids.launcherPid), false);
    assert.ok(alive(pids.supervisorPid), 'the supervisor died with its launcher');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pids.supervisorPid}/status`, 'utf8'))?.[1]);
    assert.notEqual(ppid, pids.launcherPid);
    const sid = readFileSync(`/proc/${pids.supervisorPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3];
    assert.equal(Number(sid), pids.supervisorPid, 'the supervisor does not lead its own session');
    assert.equal(readlinkSync(`/proc/${pids.supervisorPid}/cwd`), '/');
    // stdio on /dev/null, the two output pipes, its signalfd, the log and the attach socket: nothing else
    const fdDir = `/proc/${pids.supervisorPid}/fd`;
    const targets = readdirSync(fdDir).map((fd) => readlinkSync(join(fdDir, fd)).replace(/\d+/g, 'N')).sort();
    assert.deepEqual(targets, ['/dev/null', '/dev/null', '/dev/null', `${dir}/ctr.log`.replace(/\d+/g, 'N'), 'anon_inode:[signalfd]', 'pipe:[N]', 'pipe:[N]', 'socket:[N]'].sort());

    await waitFor('the exit file', () => existsSync(join(dir, 'exit.json')));
    assert.equal(readExitFile(join(dir, 'exit.json'))?.exitCode, 0);
    assert.deepEqual((await collect(readLogs(join(dir, 'ctr.log')))).map((e) => e.line), ['late\n']);
    await waitFor('the supervisor to go', () => !alive(pids!.supervisorPid));
    assert.equal(existsSync(join(dir, 'attach.sock')), false);
  } finally {
    if (pids) {
      killIfAlive(pids.containerPid);
      killIfAlive(pids.supervisorPid);
    }
    cleanup();
  }
});
