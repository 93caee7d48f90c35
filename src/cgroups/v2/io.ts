// v2 io: io.weight (or BFQ's io.bfq.weight), per-device weights, and io.max throttles.
import type { LinuxBlockIO, LinuxThrottleDevice } from '../../oci/spec.js';
import type { ApplyContext, Controller } from '../controller.js';
import { blkioWeightToIoWeight } from '../convert.js';
import type { CgroupDir } from '../files.js';
import type { CgroupStats } from '../types.js';

const THROTTLE_KEYS: [keyof LinuxBlockIO, string][] = [
  ['throttleReadBpsDevice', 'rbps'],
  ['throttleWriteBpsDevice', 'wbps'],
  ['throttleReadIOPSDevice', 'riops'],
  ['throttleWriteIOPSDevice', 'wiops'],
];

// BFQ takes blkio's 1..1000 scale as is; the generic io.weight needs the 1..10000 conversion
function writeWeight(ctx: ApplyContext, device: string, weight: number): void {
  const prefix = device ? `${device} ` : '';
  if (ctx.dir.has('io.bfq.weight')) ctx.dir.write('io.bfq.weight', `${prefix}${weight}`);
  else if (ctx.dir.has('io.weight')) ctx.dir.write('io.weight', `${prefix}${blkioWeightToIoWeight(weight)}`);
  else ctx.notice('blockIO weight not applied: this kernel has neither io.weight nor io.bfq.weight');
}

/** "MAJ:MIN rbps=N wbps=N…" lines for io.max, one per device. */
export function ioMaxLines(b: LinuxBlockIO): string[] {
  const perDevice = new Map<string, string[]>();
  for (const [field, key] of THROTTLE_KEYS) {
    for (const d of (b[field] as LinuxThrottleDevice[] | undefined) ?? []) {
      const dev = `${d.major}:${d.minor}`;
      perDevice.set(dev, [...(perDevice.get(dev) ?? []), `${key}=${d.rate > 0 ? d.rate : 'max'}`]);
    }
  }
  return [...perDevice].map(([dev, kv]) => `${dev} ${kv.join(' ')}`);
}

function ioStats(dir: CgroupDir, s: CgroupStats): void {
  const sum = { rbytes: 0, wbytes: 0, rios: 0, wios: 0 };
  for (const line of dir.read('io.stat').split('\n')) {
    for (const kv of line.trim().split(/\s+/).slice(1)) {
      const [key, value] = kv.split('=');
      if (key && key in sum) sum[key as keyof typeof sum] += Number(value);
    }
  }
  s.blkio = { readBytes: sum.rbytes, writeBytes: sum.wbytes, readOps: sum.rios, writeOps: sum.wios };
}

export const io: Controller = {
  name: 'io',
  wants: (r) => r.blockIO !== undefined,
  apply(ctx, r) {
    const b = r.blockIO;
    if (!b) return;
    if (b.weight) writeWeight(ctx, '', b.weight);
    if (b.leafWeight !== undefined) ctx.notice('blockIO.leafWeight not applied: cgroup v2 has no leaf weight');
    for (const d of b.weightDevice ?? []) if (d.weight) writeWeight(ctx, `${d.major}:${d.minor}`, d.weight);
    for (const line of ioMaxLines(b)) ctx.dir.write('io.max', line);
  },
  stats: ioStats,
};
