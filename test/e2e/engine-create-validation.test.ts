// `create`/`run` check every option before anything is made: each bad option fails with docker's
// message and exit code 125, and leaves no container, no name taken, nothing on disk.
import assert from 'node:assert/strict';
import { readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
before(() => {
  e = engineRoot();
  e.ok('network', 'create', '--subnet', '10.231.7.0/24', 'validnet');
});
after(() => e.cleanup());

const containerDirs = () => (existsSync(join(e.root, 'containers')) ? readdirSync(join(e.root, 'containers')) : []);

test('a create that fails validation leaves no container, no name and nothing on disk', () => {
  const badProfile = join(e.root, 'bad-seccomp.json');
  writeFileSync(badProfile, JSON.stringify({ defaultAction: 'SCMP_ACT_NOPE' }));
  const cases: [string[], RegExp][] = [
    [['-p', 'junk'], /invalid port spec "junk"/],
    [['-p', '70000:80'], /out of range/],
    [['-m', '1k'], /Minimum memory limit allowed is 6MB/],
    [['--network', 'no-such-network'], /network no-such-network not found/],
    [['--network', 'validnet', '--ip', '10.9.9.9'], /Invalid address 10\.9\.9\.9: It does not belong to any of this network's subnets/],
    [['--network', 'container:no-such-container'], /No such container: no-such-container/],
    [['--sysctl', 'vm.swappiness=10'], /sysctl 'vm.swappiness' is not allowed/],
    [['--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1'], /not allowed in host network namespace/],
    [['--security-opt', 'seccomp=/no/such/profile.json'], /opening seccomp profile \(\/no\/such\/profile.json\) failed/],
    [['--security-opt', `seccomp=${badProfile}`], /seccomp profile/],
    [['--cap-add', 'NOT_A_CAP'], /unknown capability/],
    [['--ulimit', 'nosuch=1'], /invalid ulimit type: nosuch/],
  ];
  for (const [flags, message] of cases) {
    for (const verb of ['create', 'run']) {
      const r = e.vessel(verb, '--name', 'taken-or-not', ...(flags.includes('--network') ? [] : ['--network', 'none']), ...flags, 'busybox', 'true');
      assert.equal(r.status, 125, `${verb} ${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, `${verb} ${flags.join(' ')}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.equal(e.ok('ps', '-aq'), '', `${verb} ${flags.join(' ')} left a container`);
      assert.deepEqual(containerDirs(), [], `${verb} ${flags.join(' ')} left a container directory`);
    }
  }
  // the name was never taken
  const id = e.ok('create', '--name', 'taken-or-not', '--network', 'none', 'busybox', 'true').trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.deepEqual(containerDirs(), [id]);
  e.ok('rm', id);
});

test('valid options still create: an address inside the subnet, a namespaced sysctl, memory at the floor', () => {
  const out = e.ok('run', '--rm', '--network', 'validnet', '--ip', '10.231.7.9', '--sysctl', 'net.ipv4.ip_forward=1', '-m', '6m', 'busybox', 'sh', '-c', 'ip -4 addr show eth0; cat /proc/sys/net/ipv4/ip_forward');
  assert.match(out, /inet 10\.231\.7\.9\/24/);
  assert.match(out, /^1$/m);
});
