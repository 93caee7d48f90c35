// What every stage of one build shares: the engine, the options, the cache, the global ARGs,
// which build args were used, and the other stages' results.
import type { BuildCache } from './cache-index.js';
import type { BaseImage, BuildEngine } from './engine-adapter.js';
import type { BuildOptions } from './executor.js';
import type { StageResult } from './stage.js';
import type { Stage } from './stages.js';

/** Docker's predefined args: usable without ARG, never in the image or the cache key. */
export const PROXY_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

export interface BuildRun {
  engine: BuildEngine;
  opts: BuildOptions;
  cache: BuildCache;
  stages: Stage[];
  /** global ARG values (before the first FROM) */
  globals: Map<string, string>;
  /** build args some ARG declared, to warn about the others */
  consumed: Set<string>;
  /** `--cache-from` images, whose layers serve steps that match theirs */
  cacheFrom: BaseImage[];
  stageResult(ref: string, before: number): Promise<StageResult> | undefined;
}
