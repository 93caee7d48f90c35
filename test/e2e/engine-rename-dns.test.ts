// `vessel rename` on a user network: a peer resolves the new name through the embedded resolver,
// and the old name stops resolving.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

const tag = Math.random().toString(36).slice(2, 7);
const NET = `rn-${tag}`;
const SUBNET = `10.214.${Math.floor(Math.random() * 250) + 1}.0/24`;

let e: EngineRoot;
before(() => {
  e = engineRoot();
});
after(() => e.cleanup());

function endpoint(ref: string): { IPAddress: string; DNSNames: string[] } {
  const [view] = JSON.parse(e.ok('inspect', ref)) as { NetworkSettings: { Networks: Record<string, { IPAddress: string; DNSNames: string[] }> } }[];
  return view!.NetworkSettings.Networks[NET]!;
}

/** Polls `nslookup name` from `from` until it resolves (or not), within a bounded deadline. */
async function resolves(from: string, name: string, wanted: boolean, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = e.vessel('exec', from, 'nslookup', name);
    const ok = r.status === 0 && new RegExp(`^Name:\\s+${name}\\b`, 'm').test(r.stdout);
    if (ok === wanted) return r.stdout;
    if (Date.now() > deadline) assert.fail(`nslookup ${name} from ${from} ${wanted ? 'never resolved' : 'still resolves'}: ${r.stdout}${r.stderr}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

test('a renamed container resolves by its new name on its user network, not by the old one', async (t) => {
  const [oldName, newName, peer] = [`old-${tag}`, `new-${tag}`, `peer-${tag}`];
  t.after(() => {
    e.vessel('rm', '-f', oldName, newName, peer);
    e.vessel('network', 'rm', NET);
  });
  e.ok('network', 'create', '--subnet', SUBNET, NET);
  e.ok('run', '-d', '--name', oldName, '--network', NET, 'busybox', 'sleep', '600');
  e.ok('run', '-d', '--name', peer, '--network', NET, 'busybox', 'sleep', '600');
  const ip = endpoint(oldName).IPAddress;
  assert.match(await resolves(peer, oldName, true), new RegExp(`Address:\\s+${ip.replace(/\./g, '\\.')}`));

  e.ok('rename', oldName, newName);
  assert.match(await resolves(peer, newName, true), new RegExp(`Address:\\s+${ip.replace(/\./g, '\\.')}`));
  await resolves(peer, oldName, false);
  assert.equal(e.vessel('exec', peer, 'ping', '-c1', '-W2', newName).status, 0, 'the new name reaches the container');
  const dnsNames = endpoint(newName).DNSNames;
  assert.ok(dnsNames.includes(newName) && !dnsNames.includes(oldName), `inspect's DNSNames: ${dnsNames.join(', ')}`);
});
