// `inspect`'s docker-shaped view of a container, with its live state.
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { containerPaths } from '../paths.js';
import { oomKilled } from './cleanup.js';
import { hostnameOf } from './start.js';
import { liveState } from './status.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function inspectContainer(engine: Engine, rec: ContainerRecord): Record<string, unknown> {
  const live = liveState(engine, rec);
  const paths = containerPaths(engine.root, rec.id);
  const args = [...(rec.config.Entrypoint ?? []), ...(rec.config.Cmd ?? [])];
  const image = engine.images.images.findId(rec.imageId) ? engine.images.images.get(rec.imageId) : undefined;
  return {
    Id: rec.id,
    Created: rec.createdAt,
    Path: args[0] ?? '',
    Args: args.slice(1),
    State: {
      Status: live.status,
      Running: live.status === 'running' || live.status === 'paused',
      Paused: live.status === 'paused',
      Restarting: live.status === 'restarting',
      // until cleanup has recorded the exit, the cgroup still knows
      OOMKilled: rec.oomKilled || (live.unrecordedExit === true && oomKilled(engine, rec.id) === true),
      Dead: live.status === 'dead',
      Pid: live.status === 'running' || live.status === 'paused' ? rec.pid : 0,
      ExitCode: live.exitCode,
      Error: '',
      StartedAt: rec.startedAt ?? ZERO_TIME,
      FinishedAt: live.finishedAt ?? ZERO_TIME,
    },
    Image: rec.imageId,
    ResolvConfPath: paths.resolvConf,
    HostnamePath: paths.hostname,
    HostsPath: paths.hosts,
    LogPath: paths.log,
    Name: `/${rec.name}`,
    RestartCount: rec.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: { ...rec.hostConfig, LogConfig: { Type: 'json-file', Config: {} } },
    GraphDriver: {
      Name: 'overlay2',
      Data: {
        LowerDir: image ? image.layers.map((l) => l.chainId).reverse().join(':') : '',
        MergedDir: paths.rootfs,
        UpperDir: paths.upper,
        WorkDir: paths.work,
      },
    },
    Mounts: rec.mounts,
    Config: { ...rec.config, Hostname: hostnameOf(rec) },
    NetworkSettings: rec.networkSettings ?? { Networks: {}, Ports: {} },
  };
}
