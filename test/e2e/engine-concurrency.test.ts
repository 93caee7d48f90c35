// Many CLI processes on one root at once: every state change of a container holds its lock, so
// whatever order they run in, each ends in a state docker could show and nothing is left behind
// (mounts, cgroups, veths, iptables rules, supervisors, runtime state).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { hostIfName } from '../../src/network/endpoint.js';
import { randomSuffix } from '../fixtures/netns.js';
import { CLI, engineRoot, leftovers, until, type EngineRoot } from './engine-fixture.js';

interface Outcome {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Refusals docker gives too when another client changed the container first. */
/** docker's exit code for a refusal: 125 for `create` and `run`, 1 for the other commands. */
const refusalCode = (command: string) => (command === 'create' || command === 'run' ? 125 : 1);
const EXPECTED_REFUSALS = [/No such container/, /is not running/, /is already in use/, /cannot remove container .* container is running/];

const tag = randomSuffix(3);
const octet = 4 * Math.floor(Math.random() * 50) + 16;

describe('concurrent CLI processes on one root', { timeout: 240_000 }, () => {
  let e: EngineRoot;
  const vesselAsync = (...args: string[]) =>
    new Promise<Outcome>((resolve) => {
      execFile(process.execPath, [CLI, '--root', e.root, ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, VESSEL_DNS_HOST_RESOLV_CONF: '/dev/null' } }, (err, stdout, stderr) => {
        resolve({ args, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  const networks = [0, 1, 2].map((i) => ({ name: `lk${i}-${tag}`, bridge: `vl${i}${tag}`, subnet: `10.215.${octet + i}` }));
  const networkIds = new Map<string, string>();

  /** iptables rules and links that name one of this test's bridges or subnets. */
  function firewallAndLinks(): string[] {
    const mine = (l: string) => networks.some((n) => l.includes(n.bridge) || l.includes(`${n.subnet}.`));
    const rules = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A') && mine(l));
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter(mine);
    return [...rules, ...links];
  }

  function vethsOf(ids: Iterable<string>): string[] {
    const links = new Set(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]));
    const found: string[] = [];
    for (const id of ids) for (const netId of networkIds.values()) if (links.has(hostIfName(netId, id))) found.push(`veth of ${id.slice(0, 12)} on ${netId.slice(0, 12)}`);
    return found;
  }

  before(() => {
    e = engineRoot();
    for (const n of networks) {
      const id = e.ok('network', 'create', '--subnet', `${n.subnet}.0/24`, '-o', `com.docker.network.bridge.name=${n.bridge}`, n.name).trim();
      networkIds.set(n.name, id);
    }
  });

  after(() => {
    for (const n of networks) e.vessel('network', 'rm', n.name);
    e.cleanup();
  });

  it('8 processes hammering one container for 30 s with start/stop/restart/kill/rm -f/exec', async (t) => {
    const name = `hammer-${tag}`;
    const create = ['create', '--name', name, '--network', networks[0]!.name, '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
    const ops: string[][] = [
      ['start', name], ['start', name], ['stop', '-t', '1', name], ['restart', '-t', '1', name], ['kill', name],
      ['rm', '-f', name], ['exec', name, 'true'], ['exec', name, 'true'], create, create,
    ];
    const ids = new Set<string>([e.ok(...create).trim()]);
    const unexpected: Outcome[] = [];
    let count = 0;
    const deadline = Date.now() + 30_000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const r = await vesselAsync(...ops[Math.floor(Math.random() * ops.length)]!);
        count++;
        if (r.args[0] === 'create' && r.code === 0) ids.add(r.stdout.trim());
        // an exec whose container was stopped under it ends with the signal's code and says nothing
        const execKilled = r.args[0] === 'exec' && r.code !== 0 && r.stderr === '';
        if (r.code !== 0 && !execKilled && !(r.code === refusalCode(r.args[0]!) && EXPECTED_REFUSALS.some((p) => p.test(r.stderr)))) unexpected.push(r);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.deepEqual(unexpected.map((u) => `${u.args.join(' ')} -> ${u.code}: ${u.stderr.trim()}`), [], 'only refusals docker would give');
    assert.ok(count > 40, `the processes got through ${count} commands`);
    t.diagnostic(`${count} commands`);

    // whatever state it ended in is one docker could show, and matches the kernel
    const status = e.vessel('ps', '-a', '--filter', `name=${name}`, '--format', '{{.Status}}').stdout.trim();
    if (status) {
      assert.match(status, /^(Up |Exited \(\d+\) |Created$)/);
      const [id] = e.ok('ps', '-aq', '--no-trunc', '--filter', `name=${name}`).trim().split('\n');
      const state = JSON.parse(e.ok('inspect', '--format', '{{json .State}}', id!)) as { Running: boolean; Pid: number };
      if (state.Running) {
        assert.ok(state.Pid > 0 && execFileSync('cat', [`/proc/${state.Pid}/cmdline`]).length > 0, 'a running container has a live init');
        assert.equal(e.vessel('exec', id!, 'true').status, 0);
      } else {
        assert.ok(await until(() => leftovers(e.root, [id!]).filter((l) => !l.startsWith('container dir')).length === 0), `a stopped container holds nothing: ${leftovers(e.root, [id!])}`);
      }
      e.ok('rm', '-f', id!);
    }
    assert.ok(await until(() => leftovers(e.root, [...ids]).length === 0 && vethsOf(ids).length === 0, 15_000), `nothing left: ${[...leftovers(e.root, [...ids]), ...vethsOf(ids)].join('; ')}`);
    const rules = firewallAndLinks().filter((l) => /-j DNAT|--dport/.test(l));
    assert.deepEqual(rules, [], 'no port rules are left');
    assert.equal(e.ok('ps', '-aq'), '');
  });

  it('4 processes creating and removing 100 containers on 3 networks', async () => {
    const ids = new Set<string>();
    const unexpected: Outcome[] = [];
    const worker = async (k: number) => {
      const mine: string[] = [];
      for (let j = 0; j < 25; j++) {
        const net = networks[(k + j) % 3]!.name;
        const r = await vesselAsync('run', '-d', '--network', net, 'busybox', 'sleep', '3600');
        if (r.code !== 0) unexpected.push(r);
        else {
          mine.push(r.stdout.trim());
          ids.add(r.stdout.trim());
        }
        // every other step also removes one: runs and removals overlap on every network
        if (j % 2 === 1) {
          const rm = await vesselAsync('rm', '-f', mine.shift()!);
          if (rm.code !== 0) unexpected.push(rm);
        }
        // a network in use cannot go, whatever else runs at the moment
        if (j === 12) {
          const rm = await vesselAsync('network', 'rm', net);
          if (rm.code === 0 || !/in use|active endpoints/.test(rm.stderr)) unexpected.push(rm);
        }
      }
      const rm = await vesselAsync('rm', '-f', ...mine);
      if (rm.code !== 0) unexpected.push(rm);
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    assert.deepEqual(unexpected.map((u) => `${u.args.join(' ')} -> ${u.code}: ${u.stderr.trim()}`), []);
    assert.equal(e.ok('ps', '-aq'), '');
    assert.equal(ids.size, 100, '100 containers were made');
    assert.ok(await until(() => leftovers(e.root, [...ids]).length === 0 && vethsOf(ids).length === 0, 15_000), `nothing left: ${[...leftovers(e.root, [...ids]), ...vethsOf(ids)].join('; ')}`);
    for (const n of networks) e.ok('network', 'rm', n.name);
    assert.ok(await until(() => firewallAndLinks().length === 0, 10_000), `no rule or link of the networks is left: ${firewallAndLinks().join('\n')}`);
  });
});
