// User-mode networking for a rootless container, as a real unprivileged user: pasta and slirp4netns
// configure the container's own network namespace and publish a port on the host's loopback;
// the choice falls back from pasta to slirp4netns, and fails clearly when neither is installed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chooseStack, findProgram } from '../../src/network/usermode/stacks.js';
import { defaultSpec } from '../../src/runtime/verbs/spec.js';
import { RUNTIME_BIN, uniqueId } from '../fixtures/bundle.js';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';
import { createUnprivilegedUser, type UnprivilegedUser } from '../fixtures/unprivileged-user.js';

const START = resolve('test/fixtures/rootless/usermode-net.ts');

function fetchLocal(port: number): Promise<string> {
  return new Promise((res, rej) => {
    get({ host: '127.0.0.1', port, path: '/index.html', timeout: 5000 }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => (body += d));
      r.on('end', () => res(body));
    }).on('error', rej);
  });
}

describe('user-mode networks for rootless containers', () => {
  let u: UnprivilegedUser;
  let bundle: string;
  const stacks: number[] = [];
  before(() => {
    u = createUnprivilegedUser();
    bundle = join(u.home, 'bundle');
    makeBusyboxRootfs(join(bundle, 'rootfs'));
    writeFileSync(join(bundle, 'rootfs/index.html'), 'served from a rootless container\n');
    const s = defaultSpec({ rootless: true, uid: u.uid, gid: u.gid });
    s.process!.terminal = false;
    s.process!.args = ['httpd', '-f', '-p', '8080', '-h', '/'];
    s.linux!.namespaces!.push({ type: 'network' });
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(s));
    mkdirSync(join(u.home, 'tmp'));
    execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, bundle, join(u.home, 'tmp')]);
  });
  after(async () => {
    for (const pid of stacks) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited with its container
      }
    }
    await u.remove();
  });

  /** A detached rootless container serving /index.html on port 8080 in its own network namespace. */
  function container(): { id: string; pid: number } {
    const id = uniqueId('net');
    const [cmd, args] = u.argv(process.execPath, [RUNTIME_BIN, 'run', '--detach', id]);
    execFileSync(cmd, args, { cwd: bundle, env: u.env(), stdio: 'ignore' });
    const st = JSON.parse(u.run(process.execPath, [RUNTIME_BIN, 'state', id]).stdout) as { pid: number };
    return { id, pid: st.pid };
  }

  const start = (req: Record<string, unknown>, path?: string) => {
    const dir = join(u.home, `net-${stacks.length}-${Date.now()}`);
    mkdirSync(dir);
    chownSync(dir, u.uid, u.gid);
    const env: Record<string, string> = { TMPDIR: join(u.home, 'tmp') };
    if (path) env.PATH = path;
    // node itself by absolute path: a PATH without the stacks may lack it too
    const r = u.run(process.execPath, ['--import', 'tsx', START, JSON.stringify({ dir, ...req })], { cwd: process.cwd(), env });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { stack?: string; pid?: number; nameservers?: string[]; error?: { code: string; message: string } };
    if (out.pid) stacks.push(out.pid);
    return out;
  };

  for (const [stack, port, address] of [['pasta', 21080 + (process.pid % 1000), /inet 192\.0\.2\.2\//], ['slirp4netns', 22080 + (process.pid % 1000), /inet 10\.0\.2\.100\//]] as const) {
    it(`${stack}: the container gets an address and its published port answers on 127.0.0.1`, { skip: !findProgram(stack) && `${stack} is not installed` }, async () => {
      const c = container();
      try {
        const net = start({ pid: c.pid, stack, ports: [{ proto: 'tcp', hostIp: '127.0.0.1', hostPort: port, containerPort: 8080 }] });
        assert.equal(net.error, undefined, JSON.stringify(net.error));
        assert.equal(net.stack, stack);
        assert.deepEqual(net.nameservers, stack === 'slirp4netns' ? ['10.0.2.3'] : undefined);
        assert.equal(await fetchLocal(port), 'served from a rootless container\n');
        const ip = u.run(process.execPath, [RUNTIME_BIN, 'exec', c.id, 'ip', '-4', 'addr'], { cwd: bundle });
        assert.match(ip.stdout, address);
        // The stack runs as the user, not as root.
        assert.match(execFileSync('ps', ['-o', 'uid=', '-p', String(net.pid)], { encoding: 'utf8' }).trim(), new RegExp(`^${u.uid}$`));
      } finally {
        u.run(process.execPath, [RUNTIME_BIN, 'delete', '--force', c.id]);
      }
    });
  }

  it('chooses pasta over slirp4netns, falls back to slirp4netns, and names the packages when neither is installed', () => {
    const dirWith = (...programs: string[]) => {
      const d = join(u.home, `path-${programs.join('-') || 'empty'}`);
      mkdirSync(d);
      for (const p of programs) symlinkSync(`/usr/bin/${p}`, join(d, p));
      return d;
    };
    assert.equal(chooseStack(undefined, dirWith('pasta', 'slirp4netns')).stack, 'pasta');
    const onlySlirp = dirWith('slirp4netns');
    assert.equal(chooseStack(undefined, onlySlirp).stack, 'slirp4netns');
    assert.throws(() => chooseStack('pasta', onlySlirp), /^UserModeNetworkError: no user-mode network for a rootless container: pasta is not installed \(Debian's passt package\)$/);
    // Through the whole start, as the user, with neither on its PATH: one clear error, nothing started.
    const c = container();
    try {
      const none = start({ pid: c.pid, ports: [] }, dirWith());
      assert.deepEqual(none.error, {
        code: 'USERMODE_UNAVAILABLE',
        message: 'no user-mode network for a rootless container: neither pasta (Debian\'s passt package) nor slirp4netns is installed',
      });
    } finally {
      u.run(process.execPath, [RUNTIME_BIN, 'delete', '--force', c.id]);
    }
  });
});
