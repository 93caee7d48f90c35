// `kill -9` of a command at any moment leaves nothing half-made that the next command trips over:
// each command is killed at 20 points spread over its own duration, and after each kill `ps -a`
// works and `rm -f` takes whatever it left; after each command's 20 kills `run`, `rm -f` and
// `system prune -a` work and the root, the kernel and the firewall hold nothing of it.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';
import { writeBusyboxLayout } from '../fixtures/images.js';
import { randomSuffix } from '../fixtures/netns.js';
import { requireRegistry, startRegistry, type TestRegistry } from '../fixtures/registry.js';
import { CLI, engineRoot, leftovers, until, type EngineRoot } from './engine-fixture.js';

const KILLS = 20;
const tag = randomSuffix(3);
const SUBNET = `10.216.${4 * Math.floor(Math.random() * 60) + 4}`;
const NET = `k9-${tag}`;
const BRIDGE = `vk${tag}`;

/** Runs the CLI and kills it with SIGKILL after `ms`; resolves once it has ended. */
function killedAfter(root: string, args: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--root', root, ...args], { stdio: 'ignore', env: { ...process.env, VESSEL_DNS_HOST_RESOLV_CONF: '/dev/null' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** How long the command takes when nothing kills it. */
function durationOf(run: () => void): number {
  const start = Date.now();
  run();
  return Date.now() - start;
}

/** Files under the root that only a stopped or half-made object would hold. */
function rootDebris(root: string): string[] {
  const found: string[] = [];
  const list = (dir: string) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((f) => `${dir}/${f}`) : []);
  found.push(...list('containers'), ...list('layers'), ...list('blobs/sha256'), ...list('tmp'));
  found.push(...list('runtime').filter((f) => f !== 'runtime/seccomp-cache'));
  found.push(...list('locks').filter((f) => f !== 'locks/networks.lock' && f !== 'locks/image-writers.lock'));
  return found;
}

function firewallAndLinks(): string[] {
  const mine = (l: string) => l.includes(BRIDGE) || l.includes(`${SUBNET}.`);
  const rules = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A') && mine(l));
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter(mine);
  return [...rules, ...links];
}

function bytesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

describe('kill -9 at any moment', { timeout: 300_000 }, () => {
  let e: EngineRoot;
  let registry: TestRegistry;
  let image: string;
  const seen = new Set<string>();

  const psIds = () => {
    const r = e.vessel('ps', '-aq', '--no-trunc');
    assert.equal(r.status, 0, `ps -a works: ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean);
  };

  /** After one kill: ps -a works, and rm -f takes every container it shows. */
  function afterKill(what: string): void {
    const ids = psIds();
    for (const id of ids) seen.add(id);
    if (ids.length) {
      const r = e.vessel('rm', '-f', ...ids);
      assert.equal(r.status, 0, `rm -f after a killed ${what}: ${r.stderr}`);
    }
  }

  /** After a command's 20 kills: run, rm -f and system prune -a work and leave nothing. */
  async function afterAll(what: string): Promise<void> {
    const run = e.vessel('run', '--rm', '--network', NET, 'busybox', 'true');
    assert.equal(run.status, 0, `run after killed ${what}s: ${run.stderr}`);
    afterKill(what);
    const prune = e.vessel('system', 'prune', '-a', '-f');
    assert.equal(prune.status, 0, `system prune -a after killed ${what}s: ${prune.stderr}`);
    assert.ok(await until(() => leftovers(e.root, [...seen]).length === 0, 10_000), `nothing left by killed ${what}s: ${leftovers(e.root, [...seen]).join('; ')}`);
    assert.deepEqual(rootDebris(e.root), [], `no files left by killed ${what}s`);
    assert.ok(await until(() => firewallAndLinks().length === 0, 10_000), `no rule or link left by killed ${what}s: ${firewallAndLinks().join('\n')}`);
  }

  /** Each command's turn starts from a root with busybox and the test network (prune removed them). */
  beforeEach(() => {
    execFileSync('sh', ['scripts/import-busybox.sh', '--root', e.root], { stdio: 'pipe' });
    if (e.vessel('network', 'inspect', NET).status !== 0) e.ok('network', 'create', '--subnet', `${SUBNET}.0/24`, '-o', `com.docker.network.bridge.name=${BRIDGE}`, NET);
  });

  /** Kills `args(i)` at KILLS points spread over `duration`, each after `prepare(i)`. */
  async function killEverywhere(what: string, duration: number, args: (i: number) => string[], prepare: (i: number) => void = () => undefined): Promise<void> {
    for (let i = 0; i < KILLS; i++) {
      prepare(i);
      await killedAfter(e.root, args(i), Math.round((duration * (i + 0.5)) / KILLS));
      afterKill(what);
    }
    await afterAll(what);
  }

  before(async () => {
    requireRegistry();
    e = engineRoot();
    registry = await startRegistry('none');
    image = `${registry.host}/k9/box:latest`;
    const layout = join(e.root, 'layout');
    await writeBusyboxLayout(layout, 'busybox:latest');
    await promisify(execFile)('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${layout}:busybox:latest`, `docker://${image}`]);
    rmSync(layout, { recursive: true, force: true });
  });

  after(async () => {
    e?.vessel('network', 'rm', NET);
    e?.cleanup();
    await registry?.stop();
  });

  it('create', async () => {
    const args = () => ['create', '--network', NET, '-p', '127.0.0.1::80', '--name', `c-${tag}`, 'busybox', 'sleep', '3600'];
    const d = durationOf(() => e.ok('rm', '-f', e.ok(...args()).trim()));
    await killEverywhere('create', d, args);
  });

  it('run -d', async () => {
    const args = () => ['run', '-d', '--network', NET, '-p', '127.0.0.1::80', '--name', `r-${tag}`, 'busybox', 'sleep', '3600'];
    const d = durationOf(() => e.ok(...args()));
    e.ok('rm', '-f', `r-${tag}`);
    await killEverywhere('run -d', d, args);
  });

  it('start', async () => {
    const name = `s-${tag}`;
    const create = () => e.ok('create', '--network', NET, '-p', '127.0.0.1::80', '--name', name, 'busybox', 'sleep', '3600');
    create();
    const d = durationOf(() => e.ok('start', name));
    e.ok('rm', '-f', name);
    await killEverywhere('start', d, () => ['start', name], create);
  });

  it('rm', async () => {
    const name = `m-${tag}`;
    const run = () => e.ok('run', '-d', '--network', NET, '-p', '127.0.0.1::80', '--name', name, 'busybox', 'sleep', '3600');
    run();
    const d = durationOf(() => e.ok('rm', '-f', name));
    await killEverywhere('rm', d, () => ['rm', '-f', name], run);
  });

  it('network create', async () => {
    const other = { name: `k9b-${tag}`, bridge: `vkb${tag}`.slice(0, 15), subnet: `${SUBNET.replace(/\.\d+$/, '')}.${Number(SUBNET.split('.')[2]) + 1}` };
    const args = () => ['network', 'create', '--subnet', `${other.subnet}.0/24`, '-o', `com.docker.network.bridge.name=${other.bridge}`, other.name];
    const d = durationOf(() => e.ok(...args()));
    e.ok('network', 'rm', other.name);
    for (let i = 0; i < KILLS; i++) {
      await killedAfter(e.root, args(), Math.round((d * (i + 0.5)) / KILLS));
      const ls = e.vessel('network', 'ls', '--format', '{{.Name}}');
      assert.equal(ls.status, 0, ls.stderr);
      // a network a killed create recorded is a whole one: it works, and goes with rm
      if (ls.stdout.split('\n').includes(other.name)) {
        const r = e.vessel('run', '--rm', '--network', other.name, 'busybox', 'true');
        assert.equal(r.status, 0, `run on a network whose create was killed: ${r.stderr}`);
        e.ok('network', 'rm', other.name);
      }
      const left = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.includes(other.bridge) || l.includes(`${other.subnet}.0/24`));
      const link = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).includes(`${other.bridge}:`);
      assert.deepEqual([...left, ...(link ? [`link ${other.bridge}`] : [])], [], `kill ${i}: the killed create left nothing once its network is gone`);
    }
    await afterAll('network create');
  });

  it('pull', async () => {
    // a root of its own: every byte of image data in it belongs to the image being pulled
    const root = mkdtempSync(join(tmpdir(), 'vessel-e2e-k9pull-'));
    const vessel = (...args: string[]) => spawnSync(process.execPath, [CLI, '--root', root, ...args], { encoding: 'utf8', timeout: 60_000 });
    try {
      const d = durationOf(() => assert.equal(vessel('pull', image).status, 0));
      assert.equal(vessel('system', 'prune', '-a', '-f').status, 0);
      for (let i = 0; i < KILLS; i++) {
        await killedAfter(root, ['pull', image], Math.round((d * (i + 0.5)) / KILLS));
        const df = vessel('system', 'df', '--format', '{{json .}}');
        assert.equal(df.status, 0, df.stderr);
        const listed = vessel('images', '-q');
        assert.equal(listed.status, 0, `images works after a killed pull: ${listed.stderr}`);
        if (listed.stdout === '') {
          // what the killed pull left is counted, and reclaimable
          const partial = bytesUnder(join(root, 'blobs')) + bytesUnder(join(root, 'layers')) + bytesUnder(join(root, 'tmp'));
          const images = df.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Type: string; Size: string; Reclaimable: string }).find((r) => r.Type === 'Images');
          assert.ok(images, df.stdout);
          if (partial > 0) assert.notEqual(images.Reclaimable.replace(/ .*/, ''), '0B', `df counts the ${partial} bytes a killed pull left: ${df.stdout}`);
        }
        const run = vessel('run', '--rm', '--network', 'none', image, 'true');
        assert.equal(run.status, 0, `run after a killed pull: ${run.stderr}`);
        assert.equal(vessel('system', 'prune', '-a', '-f').status, 0);
        assert.deepEqual(rootDebris(root), [], `kill ${i}: system prune -a removes what the killed pull left`);
      }
    } finally {
      vessel('system', 'reset', '-f');
      for (const line of readFileSync('/proc/mounts', 'utf8').split('\n').reverse()) {
        const target = line.split(' ')[1];
        if (target?.startsWith(root)) spawnSync('umount', ['-l', target]);
      }
      rmSync(root, { recursive: true, force: true });
    }
  });
});
