// Reading the native half of a trace: the records vessel-nsexec and the processes it forks wrote
// into a shared memfd (layout: native/src/trace.h), one per plan step.
import { readSync } from 'node:fs';

const HEADER_SIZE = 16;
const RECORD_SIZE = 40;
const TRACE_MAGIC = 0x65727476;

export interface NativeRecord {
  /** The plan step; -1 for vessel-nsexec's own start. */
  opIndex: number;
  /** The recording process as it saw itself (its pid namespace's number). */
  pid: number;
  /** 0, or the errno the step failed with. */
  result: number;
  /** FORK: the new child's pid (as its parent sees it); EXEC: which candidate; a failure: which call failed. */
  detail: number;
  /** Absolute CLOCK_MONOTONIC microseconds. */
  startUs: number;
  endUs: number;
}

/** Bytes of a buffer holding `records` records. */
export function traceBufferSize(records: number): number {
  return HEADER_SIZE + records * RECORD_SIZE;
}

/** The finished records in the buffer behind `fd`, in the order their slots were claimed. */
export function readNativeRecords(fd: number): NativeRecord[] {
  const head = Buffer.alloc(HEADER_SIZE);
  if (readSync(fd, head, 0, HEADER_SIZE, 0) !== HEADER_SIZE || head.readUInt32LE(0) !== TRACE_MAGIC) return [];
  const count = Math.min(head.readUInt32LE(4), head.readUInt32LE(8));
  const body = Buffer.alloc(count * RECORD_SIZE);
  const got = count ? readSync(fd, body, 0, body.length, HEADER_SIZE) : 0;
  const out: NativeRecord[] = [];
  for (let off = 0; off + RECORD_SIZE <= got; off += RECORD_SIZE) {
    if (body.readUInt32LE(off) !== 1) continue; // claimed, not yet written
    out.push({
      opIndex: body.readInt32LE(off + 4),
      pid: body.readInt32LE(off + 8),
      result: body.readInt32LE(off + 12),
      detail: body.readInt32LE(off + 16),
      startUs: Number(body.readBigUInt64LE(off + 24) / 1000n),
      endUs: Number(body.readBigUInt64LE(off + 32) / 1000n),
    });
  }
  return out;
}

/** How many records a plan of `ops` steps can write: every step once per process that runs it. */
export function traceCapacity(ops: number): number {
  return 3 * ops + 8;
}
