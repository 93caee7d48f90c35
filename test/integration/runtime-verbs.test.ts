// exec, pause/resume, update, events, ps through the vessel-runtime CLI, plus the protections an
// exec into a hostile container needs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RUNTIME_BIN, makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

describe('runtime verbs on a running container', () => {
  let b: TestBundle;
  let id: string;
  before(() => {
    b = makeBundle();
    id = uniqueId();
    b.write(testSpec(['sh', '-c', 'echo ready > /tmp/ready; exec sleep 300'], (s) => {
      s.hostname = 'verbs';
      s.process!.env = ['PATH=/bin', 'FROM_CONFIG=yes'];
      s.linux!.resources = { ...s.linux!.resources, memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 100 } };
    }));
    const r = b.runtime(['run', '-d', id]);
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => b.cleanup());

  it('exec joins the namespaces, env and filesystem of the container', () => {
    const r = b.runtime(['exec', id, 'sh', '-c', 'hostname; echo $FROM_CONFIG; cat /tmp/ready; ps -o pid,comm | grep -c sleep; exit 4']);
    assert.equal(r.status, 4, r.stderr);
    assert.equal(r.stdout, 'verbs\nyes\nready\n1\n');
  });

  it('exec with --process, --env, --cwd and --user', () => {
    const r = b.runtime(['exec', '--env', 'X=1', '--cwd', '/tmp', '--user', '1000:1000', id, 'sh', '-c', 'echo $X $(pwd) $(id -u)']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1 /tmp 1000\n');
    const proc = join(b.dir, 'process.json');
    const spec = JSON.parse(readFileSync(join(b.dir, 'config.json'), 'utf8'));
    spec.process.args = ['sh', '-c', 'echo from-process-file'];
    writeFileSync(proc, JSON.stringify(spec.process));
    const r2 = b.runtime(['exec', '--process', proc, id]);
    assert.equal(r2.stdout, 'from-process-file\n');
  });

  it('exec --user NAME[:GROUP] looks the names up in the container, not on the host', () => {
    const setup = b.runtime(['exec', id, 'sh', '-c', 'mkdir -p /etc && printf "root:x:0:0:root:/root:/bin/sh\\nalice:x:1234:1300:Alice:/home/alice:/bin/sh\\n" > /etc/passwd && printf "staff:x:1300:\\nwheel:x:1400:alice\\nops:x:1500:\\n" > /etc/group']);
    assert.equal(setup.status, 0, setup.stderr);
    const r = b.runtime(['exec', '--user', 'alice', id, 'sh', '-c', 'echo $(id -u) $(id -g) $(id -G) $HOME']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1234 1300 1300 1400 /home/alice\n', 'uid, primary gid, supplementary groups and HOME of alice');
    const withGroup = b.runtime(['exec', '-u', 'alice:ops', id, 'sh', '-c', 'echo $(id -u) $(id -g)']);
    assert.equal(withGroup.stdout, '1234 1500\n', withGroup.stderr);
    const missing = b.runtime(['exec', '-u', 'nobody-here', id, 'true']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /unable to find user nobody-here: no matching entries in passwd file/);

    // an absolute symlink in the container is followed inside it: a host file of that path is never read
    const hostFile = join(b.dir, 'host-passwd');
    writeFileSync(hostFile, 'mallory:x:4242:4242::/:/bin/sh\n');
    const link = b.runtime(['exec', id, 'sh', '-c', `cp /etc/passwd /etc/passwd.real && ln -sf ${hostFile} /etc/passwd`]);
    assert.equal(link.status, 0, link.stderr);
    const escaped = b.runtime(['exec', '-u', 'mallory', id, 'id', '-u']);
    assert.notEqual(escaped.status, 0, `the host's file was read: ${escaped.stdout}`);
    assert.match(escaped.stderr, /unable to find user mallory/);
    b.runtime(['exec', id, 'mv', '-f', '/etc/passwd.real', '/etc/passwd']);
  });

  it('exec of a missing program fails clearly', () => {
    const r = b.runtime(['exec', id, '/no/such']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /check_exec/);
  });

  it('a container process cannot open /proc/PID/exe of an exec that is joining it (CVE-2019-5736)', () => {
    // A watcher inside looks for any process whose exe it can read and that is the host's node binary.
    const watch = b.runtime(['exec', '-d', id, 'sh', '-c',
      'end=$(( $(date +%s) + 4 )); while [ $(date +%s) -lt $end ]; do for p in /proc/[0-9]*; do l=$(readlink $p/exe 2>/dev/null) && case "$l" in *node*) echo "LEAK $p $l" >> /tmp/leak;; esac; done; done; touch /tmp/watch-done']);
    assert.equal(watch.status, 0, watch.stderr);
    for (let i = 0; i < 15; i++) b.runtime(['exec', id, 'true']);
    let done = false;
    const end = Date.now() + 8000;
    while (!done && Date.now() < end) done = b.runtime(['exec', id, 'test', '-e', '/tmp/watch-done']).status === 0;
    assert.ok(done, 'the watcher finished');
    assert.notEqual(b.runtime(['exec', id, 'test', '-e', '/tmp/leak']).status, 0, b.runtime(['exec', id, 'cat', '/tmp/leak']).stdout);
  });

  it('ps lists the container processes', () => {
    const json = JSON.parse(b.runtime(['ps', '--format', 'json', id]).stdout) as number[];
    assert.ok(json.length >= 1);
    const state = JSON.parse(b.runtime(['state', id]).stdout);
    assert.ok(json.includes(state.pid));
  });

  it('pause freezes and resume thaws', () => {
    assert.equal(b.runtime(['pause', id]).status, 0);
    assert.equal(JSON.parse(b.runtime(['state', id]).stdout).status, 'paused');
    const pid = JSON.parse(b.runtime(['state', id]).stdout).pid;
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /State:\s+[SD]/);
    assert.equal(b.runtime(['resume', id]).status, 0);
    assert.equal(JSON.parse(b.runtime(['state', id]).stdout).status, 'running');
    assert.equal(b.runtime(['resume', id]).status, 1, 'resume of a running container is refused');
  });

  it('update changes limits that the container then sees, and events --stats reports them', () => {
    const before = JSON.parse(b.runtime(['events', '--stats', id]).stdout);
    assert.equal(before.type, 'stats');
    assert.equal(before.data.memory.usage.limit, 64 * 1024 * 1024);
    assert.equal(before.data.pids.limit, 100);
    assert.ok(before.data.pids.current >= 1);
    const u = b.runtime(['update', '--memory', '32m', '--pids-limit', '3', id]);
    assert.equal(u.status, 0, u.stderr);
    const after = JSON.parse(b.runtime(['events', '--stats', id]).stdout);
    assert.equal(after.data.memory.usage.limit, 32 * 1024 * 1024);
    assert.equal(after.data.pids.limit, 3);
    // Enforced: with 1 process already there and a limit of 3, a shell cannot start 4 more.
    const fork = b.runtime(['exec', id, 'sh', '-c', 'sleep 5 & sleep 5 & sleep 5 & sleep 5 & wait']);
    assert.notEqual(fork.status, 0);
    b.runtime(['update', '--pids-limit', '100', id]);
  });
});


/** Polls (synchronously: the runtime CLI calls are synchronous too) until `ready` or the deadline. */
function waitUntil(ready: () => boolean, ms: number): boolean {
  const end = Date.now() + ms;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!ready()) {
    if (Date.now() > end) return false;
    Atomics.wait(pause, 0, 0, 20);
  }
  return true;
}

function exeOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

describe('a container holding CAP_SYS_PTRACE without a user namespace (CVE-2019-5736)', () => {
  let attacker: TestBundle;
  let joiner: TestBundle;
  const attackerId = uniqueId();
  const joinerId = uniqueId();
  before(() => {
    attacker = makeBundle();
    joiner = makeBundle();
  });
  after(() => {
    joiner.cleanup();
    attacker.cleanup();
  });

  it('sees a joining process run from a sealed memfd, not the host binary, and cannot write it now or later', () => {
    const caps = ['CAP_KILL', 'CAP_SYS_PTRACE', 'CAP_DAC_OVERRIDE'];
    attacker.write(testSpec(['sleep', '300'], (s) => {
      s.process!.capabilities = { bounding: caps, effective: caps, permitted: caps };
    }));
    const run = attacker.runtime(['run', '-d', attackerId]);
    assert.equal(run.status, 0, run.stderr);
    const attackerPid = JSON.parse(attacker.runtime(['state', attackerId]).stdout).pid as number;

    // A second container joins the first one's pid namespace and stays `created`: its init is then
    // parked inside its plan (waiting on the exec fifo), visible to the first container.
    joiner.write(testSpec(['true'], (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.map((n) => (n.type === 'pid' ? { type: 'pid', path: `/proc/${attackerPid}/ns/pid` } : n));
    }));
    const node = statSync(process.execPath);
    const create = joiner.runtime(['create', joinerId]);
    assert.equal(create.status, 0, create.stderr);
    const hostPid = JSON.parse(joiner.runtime(['state', joinerId]).stdout).pid as number;
    assert.match(exeOf(hostPid), /^\/memfd:vessel-nsexec \(deleted\)$/);
    const nsPid = readFileSync(`/proc/${hostPid}/status`, 'utf8').match(/^NSpid:.*\s(\d+)$/m)![1];

    // The attack: read the link, open the file for writing now, or keep it open and write it once
    // the runtime's binary is no longer running anywhere.
    const tmp = join(attacker.rootfs, 'tmp');
    const hold = attacker.runtime(['exec', '-d', attackerId, 'sh', '-c', [
      `readlink /proc/${nsPid}/exe > /tmp/link`,
      `exec 3< /proc/${nsPid}/exe || echo NO-OPEN >> /tmp/result`,
      `{ printf x >> /proc/${nsPid}/exe; } 2>/dev/null && echo WROTE-LINK >> /tmp/result`,
      'touch /tmp/held',
      'until [ -e /tmp/go ]; do sleep 0.05; done',
      `{ printf x >> /proc/self/fd/3; } 2>/dev/null && echo WROTE-LATER >> /tmp/result`,
      'echo done >> /tmp/result',
    ].join('\n')]);
    assert.equal(hold.status, 0, hold.stderr);
    assert.ok(waitUntil(() => existsSync(join(tmp, 'held')), 5000), 'the attacker opened the link');
    assert.equal(joiner.runtime(['start', joinerId]).status, 0);
    assert.ok(waitUntil(() => !exeOf(hostPid).startsWith('/memfd:'), 5000), 'the joined process left vessel-nsexec');
    writeFileSync(join(tmp, 'go'), '');
    assert.ok(waitUntil(() => existsSync(join(tmp, 'result')) && readFileSync(join(tmp, 'result'), 'utf8').includes('done'), 5000));

    assert.equal(readFileSync(join(tmp, 'link'), 'utf8'), '/memfd:vessel-nsexec (deleted)\n');
    assert.equal(readFileSync(join(tmp, 'result'), 'utf8'), 'done\n', 'the link opens for reading only; writes fail now and later');
    const after = statSync(process.execPath);
    assert.deepEqual([after.size, after.mtimeMs, after.ctimeMs], [node.size, node.mtimeMs, node.ctimeMs], 'the host node binary is untouched');
  });

  it('never falls back to running the plan from the host binary when vessel-nsexec is unusable', () => {
    attacker.write(testSpec(['true']));
    const run = (stub: string) => spawnSync(process.execPath, [RUNTIME_BIN, '--root', attacker.stateRoot, 'run', uniqueId()], {
      cwd: attacker.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VESSEL_NSEXEC: stub },
    });
    // Missing: the runtime fails before it clones.
    const missing = run('/nonexistent/vessel-nsexec');
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /open \/nonexistent\/vessel-nsexec: No such file or directory/);
    // Not a program: the cloned child's execveat fails and says so over the sync socket.
    const text = join(attacker.dir, 'not-a-program');
    writeFileSync(text, 'plain text\n');
    const bad = run(text);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /starting vessel-nsexec: Exec format error/);
  });
});
