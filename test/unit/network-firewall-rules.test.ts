import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureBaseChains, removeBaseChainsIfUnused, removeRules, type IptablesRunner } from '../../src/network/firewall/iptables.js';
import { baseSetupScript, networkRules, portRules, restoreScript, type FirewallRule } from '../../src/network/firewall/rules.js';

const FULL = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:VESSEL-INPUT - [0:0]
:VESSEL-FORWARD - [0:0]
:VESSEL-ISOLATION-1 - [0:0]
:VESSEL-ISOLATION-2 - [0:0]
-A INPUT -j VESSEL-INPUT
-A FORWARD -j VESSEL-ISOLATION-1
-A FORWARD -j VESSEL-FORWARD
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:VESSEL-DNAT - [0:0]
:VESSEL-POSTROUTING - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j VESSEL-DNAT
-A OUTPUT -m addrtype --dst-type LOCAL -j VESSEL-DNAT
-A POSTROUTING -j VESSEL-POSTROUTING
COMMIT
`;

function recorder(saves: string[], failFirstRestore = false): IptablesRunner & { scripts: string[]; deleted: FirewallRule[] } {
  let fail = failFirstRestore;
  const r = {
    scripts: [] as string[],
    deleted: [] as FirewallRule[],
    save: () => saves.shift() ?? FULL,
    restore(script: string) {
      r.scripts.push(script);
      if (fail) {
        fail = false;
        throw Object.assign(new Error('exit 1'), { stderr: 'iptables-restore: line 2 failed' });
      }
    },
    deleteOne(rule: FirewallRule) {
      r.deleted.push(rule);
      return true;
    },
  };
  return r;
}

describe('firewall rules', () => {
  it('creates missing chains and inserts the jumps in order, once', () => {
    const script = baseSetupScript('');
    assert.match(script, /^\*filter\n-N VESSEL-INPUT\n-N VESSEL-FORWARD\n-N VESSEL-ISOLATION-1\n-N VESSEL-ISOLATION-2\n-I INPUT 1 -j VESSEL-INPUT\n-I FORWARD 1 -j VESSEL-FORWARD\n-I FORWARD 1 -j VESSEL-ISOLATION-1\nCOMMIT\n/);
    assert.match(script, /-I PREROUTING 1 -m addrtype --dst-type LOCAL -j VESSEL-DNAT/);
    assert.match(script, /-I OUTPUT 1 -m addrtype --dst-type LOCAL -j VESSEL-DNAT/);
    assert.match(script, /-I POSTROUTING 1 -j VESSEL-POSTROUTING/);
    assert.equal(baseSetupScript(FULL), '');
    // a lone jump is re-inserted together with its sibling so isolation stays first
    const partial = FULL.replace('-A FORWARD -j VESSEL-ISOLATION-1\n', '');
    assert.equal(baseSetupScript(partial), '*filter\n-D FORWARD -j VESSEL-FORWARD\n-I FORWARD 1 -j VESSEL-FORWARD\n-I FORWARD 1 -j VESSEL-ISOLATION-1\nCOMMIT\n');
  });

  it('retries base setup when another process raced it', () => {
    const r = recorder([''], true);
    ensureBaseChains(r);
    assert.equal(r.scripts.length, 1, 'the second attempt sees the chains the other process made');
  });

  it('builds network and port rules and batches them per table', () => {
    const rules = [...networkRules({ bridge: 'br0', subnet: '10.1.0.0/24', internal: false }), ...portRules({ bridge: 'br0', containerIp: '10.1.0.2', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' })];
    const script = restoreScript('-A', rules);
    assert.match(script, /-A VESSEL-POSTROUTING -s 10\.1\.0\.0\/24 ! -o br0 -j MASQUERADE/);
    assert.match(script, /-A VESSEL-POSTROUTING -s 127\.0\.0\.0\/8 -o br0 -j MASQUERADE/);
    assert.match(script, /-A VESSEL-ISOLATION-2 -o br0 -j DROP/);
    // CVE-2020-8558: nothing new from the bridge reaches the host's loopback addresses
    assert.match(script, /-A VESSEL-INPUT -i br0 -d 127\.0\.0\.0\/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP/);
    assert.match(script, /-A VESSEL-DNAT -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10\.1\.0\.2:80/);
    assert.equal(script.match(/^\*/gm)?.length, 2);
    const internal = networkRules({ bridge: 'br1', subnet: '10.2.0.0/24', internal: true });
    assert.ok(!internal.some((r) => r.args.includes('MASQUERADE')));
    assert.ok(internal.some((r) => r.chain === 'VESSEL-INPUT' && r.args.includes('127.0.0.0/8')), 'internal networks are guarded too');
    const bound = portRules({ bridge: 'b', containerIp: '10.1.0.2', hostIp: '127.0.0.1', hostPort: 1, containerPort: 2, protocol: 'udp' })[0]!;
    assert.deepEqual(bound.args.slice(0, 2), ['-d', '127.0.0.1/32']);
    assert.throws(() => restoreScript('-A', [{ table: 'nat', chain: 'X', args: ['a b'] }]));
  });

  it('removes rules one by one when the batch is refused', () => {
    const r = recorder([], true);
    const rules = networkRules({ bridge: 'br0', subnet: '10.1.0.0/24', internal: false });
    removeRules(rules, r);
    assert.match(r.scripts[0]!, /^\*filter\n-D VESSEL-INPUT -i br0 -d 127\.0\.0\.0\/8 .*\n-D VESSEL-ISOLATION-1/);
    assert.deepEqual(r.deleted, rules);
  });
});

describe('removing vessel chains', () => {
  const base = [
    '*filter', ':VESSEL-INPUT - [0:0]', ':VESSEL-FORWARD - [0:0]', ':VESSEL-ISOLATION-1 - [0:0]', ':VESSEL-ISOLATION-2 - [0:0]',
    '-A INPUT -j VESSEL-INPUT', '-A FORWARD -j VESSEL-ISOLATION-1', '-A FORWARD -j VESSEL-FORWARD', 'COMMIT',
    '*nat', ':VESSEL-DNAT - [0:0]', ':VESSEL-POSTROUTING - [0:0]',
    '-A PREROUTING -m addrtype --dst-type LOCAL -j VESSEL-DNAT', '-A OUTPUT -m addrtype --dst-type LOCAL -j VESSEL-DNAT',
    '-A POSTROUTING -j VESSEL-POSTROUTING', 'COMMIT',
  ];
  const runner = (saved: string[]) => {
    const scripts: string[] = [];
    return { scripts, r: { save: () => saved.join('\n') + '\n', restore: (s: string) => void scripts.push(s), deleteOne: () => true } };
  };

  it('deletes the jumps and the chains, one batch per table, when every chain is empty', () => {
    const { scripts, r } = runner(base);
    assert.equal(removeBaseChainsIfUnused(r), true);
    assert.match(scripts[0]!, /\*filter\n-D INPUT -j VESSEL-INPUT\n-D FORWARD -j VESSEL-ISOLATION-1\n-D FORWARD -j VESSEL-FORWARD\n-X VESSEL-INPUT\n-X VESSEL-FORWARD\n-X VESSEL-ISOLATION-1\n-X VESSEL-ISOLATION-2\nCOMMIT/);
    assert.match(scripts[0]!, /\*nat\n(-D .*\n){3}-X VESSEL-DNAT\n-X VESSEL-POSTROUTING\nCOMMIT/);
  });

  it('removes the chains an older vessel made, without the ones it did not', () => {
    const older = base.filter((l) => !l.includes('VESSEL-INPUT'));
    const { scripts, r } = runner(older);
    assert.equal(removeBaseChainsIfUnused(r), true);
    assert.match(scripts[0]!, /\*filter\n-D FORWARD -j VESSEL-ISOLATION-1\n-D FORWARD -j VESSEL-FORWARD\n-X VESSEL-FORWARD\n-X VESSEL-ISOLATION-1\n-X VESSEL-ISOLATION-2\nCOMMIT/);
  });

  it('leaves them while any rule of any network is in them', () => {
    const { scripts, r } = runner([...base.slice(0, 8), '-A VESSEL-FORWARD -i vessel0 -j ACCEPT', ...base.slice(8)]);
    assert.equal(removeBaseChainsIfUnused(r), false);
    assert.equal(scripts.length, 0);
  });
});
