// Docker's container configuration shapes, as stored in the db and shown by `inspect`.

/** docker's Config: what runs, independent of the host. */
export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, object>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** A mount as the user asked for it (`-v`, `--mount`, `--tmpfs`). */
export interface MountRequest {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** host path (bind) or volume name (volume; empty for an anonymous volume) */
  Source: string;
  Target: string;
  ReadOnly: boolean;
  /** tmpfs size/mode, bind propagation, … as mount options */
  Options: string[];
  /** a bind's missing source is created (`-v`, as docker does); `--mount` requires it to exist */
  CreateMountpoint?: boolean;
}

/** docker's HostConfig: how it runs on this host. */
export interface HostConfig {
  Binds: string[];
  NetworkMode: string;
  PortBindings: string[];
  PublishAllPorts: boolean;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  Mounts: MountRequest[];
  CapAdd: string[];
  CapDrop: string[];
  Dns: string[];
  DnsOptions: string[];
  DnsSearch: string[];
  ExtraHosts: string[];
  Privileged: boolean;
  ReadonlyRootfs: boolean;
  SecurityOpt: string[];
  Tmpfs: Record<string, string>;
  Init: boolean;
  Runtime: string;
  Sysctls: Record<string, string>;
  Memory: number;
  MemorySwap: number;
  NanoCpus: number;
  CpuShares: number;
  CpusetCpus: string;
  PidsLimit: number;
  BlkioWeight: number;
  Ulimits: Ulimit[];
}

/** docker's MountPoint, in inspect's Mounts. */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One row of the containers table. */
export interface ContainerRecord {
  id: string;
  name: string;
  image: string;
  imageId: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  mounts: MountPoint[];
  state: ContainerState;
  pid: number;
  supervisorPid: number;
  exitCode: number;
  oomKilled: boolean;
  restartCount: number;
  stoppedByUser: boolean;
  networkSettings: Record<string, unknown> | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
