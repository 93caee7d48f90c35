// `info`: counts of containers and images, and what this host and engine are.
import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, release, totalmem, type } from 'node:os';
import { detectCgroupDriver } from '../../cgroups/index.js';
import { VERSION } from '../../runtime/index.js';
import type { Engine } from '../engine.js';
import { liveState } from '../lifecycle/status.js';

export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Volumes: number;
  Driver: string;
  CgroupDriver: string;
  CgroupVersion: string;
  KernelVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  Name: string;
  DockerRootDir: string;
  ServerVersion: string;
  DefaultRuntime: string;
}

function operatingSystem(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? type();
  } catch {
    return type();
  }
}

export function systemInfo(engine: Engine): SystemInfo {
  const states = engine.containers.list().map((c) => liveState(engine, c).status);
  const count = (...s: string[]) => states.filter((x) => s.includes(x)).length;
  const cgroup = detectCgroupDriver();
  return {
    ID: engine.root,
    Containers: states.length,
    ContainersRunning: count('running', 'restarting'),
    ContainersPaused: count('paused'),
    ContainersStopped: count('created', 'exited', 'dead', 'removing'),
    Images: engine.images.images.list().length,
    Volumes: engine.volumes.list().length,
    Driver: 'overlay',
    // vessel writes the cgroup files itself, no systemd
    CgroupDriver: 'cgroupfs',
    CgroupVersion: cgroup === 'v2' ? '2' : '1',
    KernelVersion: release(),
    OperatingSystem: operatingSystem(),
    OSType: 'linux',
    Architecture: arch() === 'x64' ? 'x86_64' : arch(),
    NCPU: cpus().length,
    MemTotal: totalmem(),
    Name: hostname(),
    DockerRootDir: engine.root,
    ServerVersion: VERSION,
    DefaultRuntime: 'vessel',
  };
}
