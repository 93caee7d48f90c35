// v2 devices: the rules compiled to an eBPF program and attached to the cgroup directory. A new
// program is attached before the old ones are detached, so an update never leaves a moment with
// no device policy at all.
import { closeSync, constants, openSync } from 'node:fs';
import type { BpfSys } from '../../sys/bpf.js';
import { BpfAttachFlag, BpfAttachType, BpfProgType } from '../../sys/bpf.js';
import type { DeviceRule } from '../devices.js';
import { CgroupError } from '../errors.js';
import { deviceProgram, encodeProgram } from './device-program.js';

const LICENSE = 'Apache-2.0';

function bpfStep<T>(what: string, path: string, step: () => T): T {
  try {
    return step();
  } catch (cause) {
    throw new CgroupError('CGROUP_BPF', `${what} for ${path}: ${(cause as Error).message}`, path, undefined, { cause });
  }
}

export function attachDeviceProgram(bpf: BpfSys, cgroupDir: string, rules: DeviceRule[]): void {
  const insns = encodeProgram(deviceProgram(rules));
  const dirFd = bpfStep('open cgroup directory', cgroupDir, () => openSync(cgroupDir, constants.O_RDONLY | constants.O_DIRECTORY));
  try {
    const previous = bpfStep('query device programs', cgroupDir, () => bpf.bpfProgQuery(dirFd, BpfAttachType.CGROUP_DEVICE));
    const prog = bpfStep('load device program', cgroupDir, () => bpf.bpfProgLoad(BpfProgType.CGROUP_DEVICE, insns, LICENSE));
    try {
      bpfStep('attach device program', cgroupDir, () => bpf.bpfProgAttach(dirFd, prog, BpfAttachType.CGROUP_DEVICE, BpfAttachFlag.ALLOW_MULTI));
    } finally {
      closeSync(prog);
    }
    for (const id of previous) {
      const old = bpfStep('open previous device program', cgroupDir, () => bpf.bpfProgGetFdById(id));
      try {
        bpfStep('detach previous device program', cgroupDir, () => bpf.bpfProgDetach(dirFd, old, BpfAttachType.CGROUP_DEVICE));
      } finally {
        closeSync(old);
      }
    }
  } finally {
    closeSync(dirFd);
  }
}

/** Ids of the device programs attached to the cgroup itself (not inherited ones). */
export function attachedDevicePrograms(bpf: BpfSys, cgroupDir: string): number[] {
  const dirFd = openSync(cgroupDir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return bpf.bpfProgQuery(dirFd, BpfAttachType.CGROUP_DEVICE);
  } finally {
    closeSync(dirFd);
  }
}
