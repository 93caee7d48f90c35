// What RUN, COPY and ADD share: the cache lookup for a step's key, the container a step runs in
// (made on the parent's layers, committed, removed whatever happens), and the new layer added to
// the stage's config and history.
import type { HistoryEntry } from '../image/manifest.js';
import type { LayerRef } from './engine-adapter.js';
import { BuildError } from './errors.js';
import type { BuildRun } from './run-context.js';
import type { State } from './stage.js';

export function history(state: State, createdBy: string, empty: boolean): HistoryEntry {
  return { created: state.created, created_by: createdBy, comment: 'buildkit.dockerfile.v0', ...(empty ? { empty_layer: true } : {}) };
}

/** The layer for `key` from the cache, if its blob is still in the store; else from a
 * `--cache-from` image whose layers so far are ours and whose next layer step is this one. */
export function cached(run: BuildRun, state: State, key: string, text: string): { layer: LayerRef; created: string; image: string } | undefined {
  if (run.opts.noCache) return undefined;
  const hit = run.cache.get(key);
  if (hit && run.engine.hasLayer(hit.layer) && run.engine.imageById(hit.image)) return hit;
  const n = state.layers.length;
  for (const image of run.cacheFrom) {
    if (image.layers.length <= n || !state.layers.every((l, i) => l.diffId === image.layers[i]!.diffId)) continue;
    const layered = (image.config.history ?? []).filter((h) => !h.empty_layer);
    const entry = layered[n + (image.layers.length - layered.length)];
    if (entry?.created_by === text) return { layer: image.layers[n]!, created: entry.created ?? state.created, image: image.id };
  }
  return undefined;
}

/** Adds a layer made (or found) for a step, and makes sure an image holds it. */
export async function withLayer(run: BuildRun, state: State, key: string, text: string, layer: LayerRef, created: string, image: string | undefined): Promise<State> {
  const config = structuredClone(state.config);
  config.created = created;
  config.rootfs = { type: 'layers', diff_ids: [...config.rootfs.diff_ids, layer.diffId] };
  config.history = [...(config.history ?? []), { ...history({ ...state, created }, text, false) }];
  const layers = [...state.layers, layer];
  const imageId = image ?? (await run.engine.register(config, layers));
  if (!image) run.cache.put(key, { layer, created, image: imageId });
  return { ...state, config, layers, key, imageId, created };
}

/** Makes a container on the state's layers, runs `fn` with it, commits its changes; removed whatever happens. */
export async function inContainer(run: BuildRun, state: State, spec: { cmd: string[]; env: string[]; network: string; mounts: string[] }, fn: (id: string) => Promise<void>): Promise<LayerRef> {
  const base = state.imageId ?? (state.layers.length ? await run.engine.register(state.config, state.layers) : undefined);
  if (!base) throw new BuildError('INVALID_INSTRUCTION', 'this step needs a file system: FROM scratch has none until a COPY or ADD', 'scratch');
  const c = state.config.config ?? {};
  const id = await run.engine.create({
    image: base, cmd: spec.cmd, env: spec.env, user: c.User ?? '', workdir: c.WorkingDir ?? '/', network: spec.network, mounts: spec.mounts,
    buildLabel: String(process.pid),
  });
  try {
    await fn(id);
    return await run.engine.commit(id);
  } finally {
    await run.engine.remove(id);
  }
}

