// The runtime's view of a container's cgroup: one manager per container, from its record.
import { cgroupManager, type CgroupManager } from '../cgroups/index.js';
import type { ContainerRecord } from './state-store.js';

export function containerCgroup(record: Pick<ContainerRecord, 'id' | 'config'>): CgroupManager {
  return cgroupManager(record.config.linux?.cgroupsPath, record.id);
}
