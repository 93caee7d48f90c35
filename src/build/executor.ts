// One build: the Dockerfile's stage graph, the stages the target needs started at once (each
// waits only for the stages it reads from, so independent ones run in parallel), the target's
// result recorded as an image with its tags. Steps run in stage.ts.
import { hostPlatform, formatPlatform } from '../image/platform.js';
import type { ImageConfig } from '../image/manifest.js';
import { BuildCache } from './cache-index.js';
import { BuildContext } from './context.js';
import { parseDockerfile } from './dockerfile/parse.js';
import { keyValuesOf } from './stage.js';
import type { BuildEngine } from './engine-adapter.js';
import { BuildError } from './errors.js';
import type { ProgressSink } from './progress.js';
import { PROXY_ARGS, type BuildRun } from './run-context.js';
import { runStage, type StageResult } from './stage.js';
import { neededStages, stageGraph, stageNamed, targetStage } from './stages.js';

export interface BuildOptions {
  context: BuildContext;
  dockerfile: string;
  /** for messages: `Dockerfile` */
  dockerfileName?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  tags?: string[];
  labels?: Record<string, string>;
  noCache?: boolean;
  pull?: boolean;
  /** default network for RUN: bridge, none, host or a network name */
  network?: string;
  /** `--build-context name=dir` */
  buildContexts?: Record<string, BuildContext>;
  /** `--secret id=…,src=…` */
  secrets?: Record<string, string>;
  /** os/arch for the images FROM pulls when the FROM line names none (`--platform`) */
  platform?: string;
  /** images whose layers may serve as cache (`--cache-from`) */
  cacheFrom?: string[];
  progress: ProgressSink;
}

export interface BuildResult {
  imageId: string;
  config: ImageConfig;
}

export function platformArgs(): Record<string, string> {
  const p = hostPlatform();
  const s = formatPlatform(p);
  const base = { OS: p.os, ARCH: p.architecture, VARIANT: p.variant ?? '', PLATFORM: s };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    out[`TARGET${k}`] = v;
    out[`BUILD${k}`] = v;
  }
  return out;
}

export async function build(engine: BuildEngine, opts: BuildOptions): Promise<BuildResult> {
  const file = opts.dockerfileName ?? 'Dockerfile';
  const df = parseDockerfile(opts.dockerfile, file);
  const buildArgs = opts.buildArgs ?? {};
  const globals = new Map<string, string>(Object.entries(platformArgs()));
  const consumed = new Set<string>();
  // global ARGs: their values expand FROM lines and are the defaults of a stage's bare `ARG name`
  const firstFrom = df.instructions.findIndex((i) => i.keyword === 'FROM');
  for (const ins of df.instructions.slice(0, firstFrom < 0 ? 0 : firstFrom)) {
    if (ins.keyword !== 'ARG') continue;
    for (const [name, value] of keyValuesOf(ins, (n) => globals.get(n), df.escape, `${file}:${ins.line}`)) {
      consumed.add(name);
      const v = buildArgs[name] ?? value;
      if (v !== undefined) globals.set(name, v);
    }
  }
  const graph = stageGraph(df, (n) => globals.get(n));
  const target = targetStage(graph, opts.target);
  const needed = neededStages(graph, target);
  const results = new Map<number, Promise<StageResult>>();
  const cacheFrom = [];
  for (const ref of opts.cacheFrom ?? []) {
    const image = engine.findImage(ref) ?? (await engine.pull(ref).catch(() => undefined));
    if (image) cacheFrom.push(image);
    else opts.progress.warn(`cache source ${ref} not found: building without it`);
  }
  const run: BuildRun = {
    engine, opts, cache: new BuildCache(engine.root), stages: graph.stages, globals, consumed, cacheFrom,
    stageResult: (ref, before) => {
      const s = stageNamed(graph, ref, before);
      return s ? results.get(s.index) : undefined;
    },
  };
  for (const s of needed) {
    // a rejection is handled by whoever awaits it; the target's is the build's failure
    const p = runStage(run, s, df.escape, file);
    p.catch(() => undefined);
    results.set(s.index, p);
  }
  let result: StageResult;
  try {
    result = await results.get(target.index)!;
  } finally {
    await Promise.allSettled(results.values());
  }
  const failed = (await Promise.allSettled(results.values())).find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  const unused = Object.keys(buildArgs).filter((a) => !consumed.has(a) && !PROXY_ARGS.includes(a));
  if (unused.length) opts.progress.warn(`One or more build-args [${unused.join(' ')}] were not consumed`);
  const config: ImageConfig = structuredClone(result.config);
  if (opts.labels && Object.keys(opts.labels).length) {
    config.config = { ...config.config, Labels: { ...(config.config?.Labels ?? {}), ...opts.labels } };
  }
  if (!config.history?.length && !result.layers.length) throw new BuildError('INVALID_INSTRUCTION', 'the build produced nothing to record', target.name ?? String(target.index));
  const imageId = await engine.register(config, result.layers, opts.tags ?? []);
  return { imageId, config };
}
