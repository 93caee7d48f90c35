// The body of bench/pull: builds a 6-layer image (busybox plus layers of mixed compressible and
// random data), serves it from a throwaway docker-registry on 127.0.0.1, and times pulls.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packEntries } from '../src/image/layer/index.js';
import { file, dir } from '../test/fixtures/layers.js';
import { writeBusyboxLayout } from '../test/fixtures/images.js';
import { startRegistry } from '../test/fixtures/registry.js';

const rounds = Number(process.argv[2] ?? 7);
const VESSEL = new URL('../dist/vessel.cjs', import.meta.url).pathname;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// half random (incompressible), half text-like, so gzip has real work in both directions
function payload(size: number): Buffer {
  const text = Buffer.from('the quick brown fox jumps over the lazy dog 0123456789\n'.repeat(Math.ceil(size / 2 / 55))).subarray(0, size / 2);
  return Buffer.concat([randomBytes(size / 2), text]);
}

async function addDataLayers(layoutDir: string, count: number): Promise<void> {
  const blobs = join(layoutDir, 'blobs', 'sha256');
  const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8'));
  const top = index.manifests[0];
  const manifest = JSON.parse(readFileSync(join(blobs, top.digest.slice(7)), 'utf8'));
  const config = JSON.parse(readFileSync(join(blobs, manifest.config.digest.slice(7)), 'utf8'));
  for (let i = 0; i < count; i++) {
    const path = join(layoutDir, `data-${i}.tar.gz`);
    const entries = [dir(`data${i}`), ...Array.from({ length: 40 }, (_, j) => file(`data${i}/f${j}`, payload(200_000)))];
    const r = await packEntries(entries, createWriteStream(path), { compression: 'gzip' });
    writeFileSync(join(blobs, r.digest.slice(7)), readFileSync(path));
    rmSync(path);
    manifest.layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: r.digest, size: r.size });
    config.rootfs.diff_ids.push(r.diffId);
    config.history.push({ created: '2024-01-01T00:00:00Z', created_by: `data layer ${i}` });
  }
  const put = (b: Buffer) => {
    const d = `sha256:${createHash('sha256').update(b).digest('hex')}`;
    writeFileSync(join(blobs, d.slice(7)), b);
    return { digest: d, size: b.length };
  };
  const c = put(Buffer.from(JSON.stringify(config)));
  manifest.config = { ...manifest.config, ...c };
  const m = put(Buffer.from(JSON.stringify(manifest)));
  index.manifests = [{ ...top, ...m }];
  writeFileSync(join(layoutDir, 'index.json'), JSON.stringify(index));
}

const work = mkdtempSync(join(tmpdir(), 'vessel-bench-pull-'));
const registry = await startRegistry('none');
try {
  const layout = join(work, 'layout');
  await writeBusyboxLayout(layout, 'bench:latest');
  await addDataLayers(layout, 5);
  const ref = `${registry.host}/bench/image:latest`;
  execFileSync('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${layout}:bench:latest`, `docker://${ref}`]);
  const vessel: number[] = [];
  const podman: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const v = join(work, `vessel-${i}`);
    const p = join(work, `podman-${i}`);
    mkdirSync(p);
    const runVessel = () => vessel.push(timed(process.execPath, [VESSEL, '--root', v, 'pull', '-q', ref]));
    const runPodman = () =>
      podman.push(timed('podman', ['--root', join(p, 'root'), '--runroot', join(p, 'run'), '--storage-driver', 'overlay', 'pull', '-q', '--tls-verify=false', ref]));
    if (i % 2 === 0) {
      runVessel();
      runPodman();
    } else {
      runPodman();
      runVessel();
    }
    rmSync(v, { recursive: true, force: true });
    spawnSync('podman', ['--root', join(p, 'root'), '--runroot', join(p, 'run'), '--storage-driver', 'overlay', 'system', 'reset', '-f'], { stdio: 'ignore' });
    rmSync(p, { recursive: true, force: true });
  }
  const mv = median(vessel);
  const mp = median(podman);
  console.log(`vessel pull median ${mv.toFixed(0)} ms, podman pull median ${mp.toFixed(0)} ms, ratio ${(mv / mp).toFixed(2)} (target <= 0.8)`);
} finally {
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}
