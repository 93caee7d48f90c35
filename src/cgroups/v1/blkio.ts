// v1 blkio: proportional weights (CFQ's blkio.weight or BFQ's blkio.bfq.weight) and throttles.
import type { LinuxBlockIO } from '../../oci/spec.js';
import type { ApplyContext, Controller } from '../controller.js';
import type { CgroupDir } from '../files.js';
import type { CgroupStats } from '../types.js';

const THROTTLES: [keyof LinuxBlockIO, string][] = [
  ['throttleReadBpsDevice', 'blkio.throttle.read_bps_device'],
  ['throttleWriteBpsDevice', 'blkio.throttle.write_bps_device'],
  ['throttleReadIOPSDevice', 'blkio.throttle.read_iops_device'],
  ['throttleWriteIOPSDevice', 'blkio.throttle.write_iops_device'],
];

// Whichever weight file the active I/O scheduler offers
function weightFile(ctx: ApplyContext, cfq: string, bfq: string): string | undefined {
  if (ctx.dir.has(cfq)) return cfq;
  if (ctx.dir.has(bfq)) return bfq;
  ctx.notice(`blockIO weight not applied: this kernel has neither ${cfq} nor ${bfq}`);
  return undefined;
}

function applyWeights(ctx: ApplyContext, b: LinuxBlockIO): void {
  if (b.weight !== undefined && b.weight !== 0) {
    const file = weightFile(ctx, 'blkio.weight', 'blkio.bfq.weight');
    if (file) ctx.dir.write(file, b.weight);
  }
  if (b.leafWeight !== undefined) {
    if (ctx.dir.has('blkio.leaf_weight')) ctx.dir.write('blkio.leaf_weight', b.leafWeight);
    else ctx.notice('blockIO.leafWeight not applied: this kernel has no blkio.leaf_weight (CFQ only)');
  }
  for (const d of b.weightDevice ?? []) {
    if (d.weight !== undefined) {
      const file = weightFile(ctx, 'blkio.weight_device', 'blkio.bfq.weight_device');
      if (file) ctx.dir.write(file, `${d.major}:${d.minor} ${d.weight}`);
    }
    if (d.leafWeight !== undefined) {
      if (ctx.dir.has('blkio.leaf_weight_device')) ctx.dir.write('blkio.leaf_weight_device', `${d.major}:${d.minor} ${d.leafWeight}`);
      else ctx.notice('blockIO.weightDevice leafWeight not applied: this kernel has no blkio.leaf_weight_device');
    }
  }
}

// "8:0 Read 4096" lines; summed over devices
function sumOps(dir: CgroupDir, names: string[]): { read: number; write: number } {
  const file = names.find((n) => dir.has(n));
  const out = { read: 0, write: 0 };
  if (!file) return out;
  for (const line of dir.read(file).split('\n')) {
    const [dev, op, value] = line.trim().split(/\s+/);
    if (!dev?.includes(':')) continue;
    if (op === 'Read') out.read += Number(value);
    else if (op === 'Write') out.write += Number(value);
  }
  return out;
}

function blkioStats(dir: CgroupDir, s: CgroupStats): void {
  const bytes = sumOps(dir, ['blkio.throttle.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes', 'blkio.bfq.io_service_bytes_recursive']);
  const ops = sumOps(dir, ['blkio.throttle.io_serviced_recursive', 'blkio.throttle.io_serviced', 'blkio.bfq.io_serviced_recursive']);
  s.blkio = { readBytes: bytes.read, writeBytes: bytes.write, readOps: ops.read, writeOps: ops.write };
}

export const blkio: Controller = {
  name: 'blkio',
  wants: (r) => r.blockIO !== undefined,
  apply(ctx, r) {
    const b = r.blockIO;
    if (!b) return;
    applyWeights(ctx, b);
    for (const [field, file] of THROTTLES) {
      for (const d of (b[field] as { major: number; minor: number; rate: number }[] | undefined) ?? []) {
        ctx.dir.write(file, `${d.major}:${d.minor} ${d.rate}`);
      }
    }
  },
  stats: blkioStats,
};
