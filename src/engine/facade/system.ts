// Engine-wide operations: info, version, disk usage, prune, reset.
import type { Engine } from '../engine.js';

export type { SystemInfo } from '../system/info.js';
export type { VersionInfo } from '../system/version.js';
export type { DiskUsage, DiskUsageRow } from '../system/df.js';
export type { SystemPruneReport } from '../system/prune.js';
export type { ResetReport } from '../system/reset.js';

export class System {
  constructor(private readonly engine: () => Engine) {}

  async info(): Promise<import('../system/info.js').SystemInfo> {
    const { systemInfo } = await import('../system/info.js');
    return systemInfo(this.engine());
  }

  async version(): Promise<import('../system/version.js').VersionInfo> {
    const [{ versionInfo }, { VERSION }] = await Promise.all([import('../system/version.js'), import('../../runtime/version.js')]);
    return versionInfo(VERSION);
  }

  async df(): Promise<import('../system/df.js').DiskUsage> {
    const { diskUsage } = await import('../system/df.js');
    return diskUsage(this.engine());
  }

  async prune(opts: { all?: boolean; volumes?: boolean } = {}): Promise<import('../system/prune.js').SystemPruneReport> {
    const { pruneSystem } = await import('../system/prune.js');
    return pruneSystem(this.engine(), opts);
  }

  /** Removes everything the root holds: containers, images, volumes, networks. */
  async reset(): Promise<import('../system/reset.js').ResetReport> {
    const { resetSystem } = await import('../system/reset.js');
    return resetSystem(this.engine());
  }
}
