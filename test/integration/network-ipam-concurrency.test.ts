// Several processes allocating from one network at once never get the same address.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { insertNetwork } from '../../src/network/ipam.js';
import { listEndpoints } from '../../src/network/records.js';
import { migratedDb } from '../fixtures/state-db.js';
import { tempDir } from '../fixtures/busybox.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const WORKERS = 4;
const EACH = 25;

function worker(dbPath: string, networkId: string, n: number): Promise<void> {
  const code = `
    import Database from 'better-sqlite3';
    import { allocateEndpoint } from ${JSON.stringify(join(root, 'src/network/ipam.ts'))};
    import { releaseEndpoint } from ${JSON.stringify(join(root, 'src/network/records.ts'))};
    import { macFromIPv4 } from ${JSON.stringify(join(root, 'src/network/mac.ts'))};
    const db = new Database(${JSON.stringify(dbPath)}, { timeout: 20000 });
    for (let i = 0; i < ${EACH}; i++) {
      const id = 'w${n}-' + i;
      allocateEndpoint(db, { networkId: ${JSON.stringify(networkId)}, containerId: id, containerName: id, ifName: 'eth0', hostIf: 'v' + id, mac: macFromIPv4 });
      // churn: release some, so reuse races with fresh allocation
      if (i % 5 === 4) releaseEndpoint(db, ${JSON.stringify(networkId)}, id);
    }
    db.close();
  `;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (c) => (c === 0 ? res() : rej(new Error(`worker ${n} exited ${c}: ${err}`))));
  });
}

it('allocates distinct addresses under concurrent processes', { timeout: 60_000 }, async () => {
  const tmp = tempDir('vessel-ipam-');
  try {
    const dbPath = join(tmp.dir, 'state.db');
    const db = migratedDb(dbPath);
    const n = insertNetwork(db, { name: 'race', subnet: '10.213.0.0/24' }, []);
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(dbPath, n.id, i)));
    const eps = listEndpoints(db, { networkId: n.id });
    assert.equal(eps.length, WORKERS * (EACH - EACH / 5));
    assert.equal(new Set(eps.map((e) => e.ip)).size, eps.length, 'no address handed out twice');
    assert.ok(!eps.some((e) => e.ip === '10.213.0.1' || e.ip === '10.213.0.0' || e.ip === '10.213.0.255'));
    // released addresses were reused: without reuse the highest would be .(2 + every allocation - 1)
    assert.ok(Math.max(...eps.map((e) => Number(e.ip.split('.')[3]))) < 1 + WORKERS * EACH);
    db.close();
  } finally {
    tmp.cleanup();
  }
});
