// `stats`: one sample of a container's usage (cgroup counters, network counters of its init), and
// docker's figures computed from two samples (CPU % is the share of the host's CPU time).
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { backendOf } from '../runtime-backend/index.js';
import { liveState } from '../lifecycle/status.js';
import { netCounters } from './net-dev.js';

export interface StatsSample {
  id: string;
  name: string;
  running: boolean;
  /** the container's CPU time, ns */
  cpuNs: number;
  /** the host's total CPU time (all CPUs), ns */
  systemNs: number;
  memUsage: number;
  memLimit: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** docker's stats row fields (what `--format` templates see). */
export interface ContainerStats {
  ID: string;
  Container: string;
  Name: string;
  CPUPerc: number;
  MemUsage: number;
  MemLimit: number;
  MemPerc: number;
  NetInput: number;
  NetOutput: number;
  BlockInput: number;
  BlockOutput: number;
  PIDs: number;
}

const USER_HZ_NS = 1e9 / 100;

/** /proc/stat's first line: the host's CPU time in USER_HZ ticks. */
function hostCpuNs(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = first.trim().split(/\s+/).slice(1, 8).map(Number);
  return ticks.reduce((a, b) => a + b, 0) * USER_HZ_NS;
}

export function sampleStats(engine: Engine, rec: ContainerRecord): StatsSample {
  const empty: StatsSample = { id: rec.id, name: rec.name, running: false, cpuNs: 0, systemNs: hostCpuNs(), memUsage: 0, memLimit: 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0 };
  const status = liveState(engine, rec).status;
  if (status !== 'running' && status !== 'paused') return empty;
  let s;
  try {
    const cgroup = backendOf(engine, rec).cgroup(rec.id);
    if (!cgroup) return empty;
    s = cgroup.stats();
  } catch {
    return empty;
  }
  const hostMem = totalmem();
  const net = netCounters(rec.pid);
  return {
    ...empty,
    running: true,
    cpuNs: s.cpu.usageNs,
    // docker leaves the page cache out of "usage"
    memUsage: Math.max(0, s.memory.usage - (s.memory.cache ?? 0)),
    memLimit: s.memory.limit > 0 && s.memory.limit < hostMem ? s.memory.limit : hostMem,
    netRx: net.rxBytes,
    netTx: net.txBytes,
    blockRead: s.blkio.readBytes,
    blockWrite: s.blkio.writeBytes,
    pids: s.pids.current,
  };
}

/** The row for `now`, with CPU % over the interval since `before` (0 without one). */
export function statsRow(now: StatsSample, before?: StatsSample): ContainerStats {
  const cpuDelta = before ? now.cpuNs - before.cpuNs : 0;
  const systemDelta = before ? now.systemNs - before.systemNs : 0;
  const cpuPerc = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus().length * 100 : 0;
  return {
    ID: now.id.slice(0, 12),
    Container: now.id.slice(0, 12),
    Name: now.name,
    CPUPerc: cpuPerc,
    MemUsage: now.memUsage,
    MemLimit: now.memLimit,
    MemPerc: now.memLimit > 0 ? (now.memUsage / now.memLimit) * 100 : 0,
    NetInput: now.netRx,
    NetOutput: now.netTx,
    BlockInput: now.blockRead,
    BlockOutput: now.blockWrite,
    PIDs: now.pids,
  };
}
