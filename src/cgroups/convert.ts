// OCI (cgroup v1 flavoured) values translated to what the cgroup files take.
import { CgroupError } from './errors.js';

/** cpu.shares (2..262144) -> cpu.weight (1..10000), the linear mapping runc and crun use. */
export function sharesToWeight(shares: number): number {
  if (shares <= 0) return 0;
  const clamped = Math.min(Math.max(shares, 2), 262144);
  return 1 + Math.floor(((clamped - 2) * 9999) / 262142);
}

/** blkio.weight (10..1000) -> io.weight (1..10000). */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight <= 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

/** cpu.max "QUOTA PERIOD": an unset side keeps the current one; a negative quota is "max". */
export function cpuMax(quota: number | undefined, period: number | undefined, current: string): string {
  const [curQuota = 'max', curPeriod = '100000'] = current.trim().split(/\s+/);
  const q = quota === undefined ? curQuota : quota < 0 ? 'max' : String(quota);
  const p = period === undefined || period === 0 ? curPeriod : String(period);
  return `${q} ${p}`;
}

/** OCI swap is memory+swap; v2's memory.swap.max is the swap alone. -1 means unlimited. */
export function swapMax(memoryLimit: number, memorySwap: number): string {
  if (memorySwap < 0) return 'max';
  if (memoryLimit < 0) {
    throw new CgroupError('CGROUP_INVALID', `memory swap limit ${memorySwap} needs a memory limit (cgroup v2 limits swap separately)`, undefined, String(memorySwap));
  }
  if (memorySwap < memoryLimit) {
    throw new CgroupError('CGROUP_INVALID', `memory+swap limit ${memorySwap} is below the memory limit ${memoryLimit}`, undefined, String(memorySwap));
  }
  return String(memorySwap - memoryLimit);
}

/** A limit for a v2 file: negative is "max". */
export function v2Limit(n: number): string {
  return n < 0 ? 'max' : String(n);
}

/** pids.max: 0 leaves the limit as it is (OCI "unset"); a negative limit is "max". */
export function pidsMax(limit: number): string | undefined {
  if (limit === 0) return undefined;
  return limit < 0 ? 'max' : String(limit);
}
