// One stage: its base (an image, scratch or an earlier stage; ONBUILD triggers of an image run
// first), then each instruction in turn. Metadata instructions change the config only; RUN, COPY
// and ADD make a layer in a container on the engine, unless the cache has the layer for the same
// key (parent key + instruction + the args it sees + the content it copies).
import { posix } from 'node:path';
import type { ImageConfig } from '../image/manifest.js';
import { chainKey } from './cache.js';
import { expandWord, expandWords, keyValues, rawWords, type Lookup } from './dockerfile/expand.js';
import { flagValue, parseDockerfile, type Instruction } from './dockerfile/parse.js';
import type { LayerRef } from './engine-adapter.js';
import { BuildError } from './errors.js';
import type { BuildRun } from './run-context.js';
import { copyStep } from './copy-step.js';
import { history } from './layer-step.js';
import { runStep } from './run-step.js';
import type { StepProgress } from './progress.js';
import type { Stage } from './stages.js';

export interface StageResult {
  config: ImageConfig;
  layers: LayerRef[];
  /** cache key of the stage's last step */
  key: string;
  /** an image holding exactly `layers` (for containers), when there are any */
  imageId: string | undefined;
}

export interface State extends StageResult {
  /** ARGs declared in this stage with their values */
  args: Map<string, string>;
  /** when the last step that made a layer was made: history times come from it */
  created: string;
  /** CMD set in this stage (ENTRYPOINT then keeps it) */
  cmdSet: boolean;
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];
const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const EMPTY_CONFIG = (): ImageConfig => ({ architecture: process.arch === 'x64' ? 'amd64' : process.arch, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] });

/** `ARG a=1 b` as [name, value|undefined] pairs. */
export function keyValuesOf(ins: Instruction, lookup: Lookup, escape: string, where: string): [string, string | undefined][] {
  return rawWords(ins.rest, escape).map((w) => {
    const eq = w.indexOf('=');
    if (eq === 0) throw new BuildError('PARSE', `${where}: ARG names can not be blank`, where);
    return eq < 0 ? [expandWord(w, lookup, escape), undefined] : [expandWord(w.slice(0, eq), lookup, escape), expandWord(w.slice(eq + 1), lookup, escape)];
  });
}

export function envMap(config: ImageConfig): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of config.config?.Env ?? []) {
    const eq = e.indexOf('=');
    m.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1));
  }
  return m;
}

function setEnv(config: ImageConfig, name: string, value: string): void {
  const env = (config.config!.Env ?? []).filter((e) => !e.startsWith(`${name}=`) && e !== name);
  config.config!.Env = [...env, `${name}=${value}`];
}

function parseDuration(v: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(v);
  if (!m) throw new BuildError('INVALID_INSTRUCTION', `${where}: time: invalid duration "${v}"`, v);
  const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] as 'ns'];
  return Math.round(Number(m[1]) * scale);
}

export async function runStage(run: BuildRun, stage: Stage, escape: string, file: string): Promise<StageResult> {
  const { engine, opts } = run;
  const label = stage.name ?? `stage-${stage.index}`;
  const total = stage.instructions.length + 1;
  const where = (ins: Instruction) => `${file}:${ins.line}`;
  let state: State;

  // FROM
  const fromStep = opts.progress.step(label, 1, total, `FROM ${stage.base}${stage.name ? ` AS ${stage.name}` : ''}`);
  let triggers: string[] = [];
  const parentStage = run.stageResult(stage.base, stage.index);
  if (parentStage) {
    const r = await parentStage;
    state = { ...r, config: structuredClone(r.config), args: new Map(), created: r.config.created ?? new Date(0).toISOString(), cmdSet: false };
  } else if (stage.base.toLowerCase() === 'scratch') {
    const config = EMPTY_CONFIG();
    // as BuildKit does: an image from nothing still gets the default PATH
    config.config = { Env: [DEFAULT_PATH_ENV] };
    state = { config, layers: [], key: chainKey('scratch'), imageId: undefined, args: new Map(), created: new Date(0).toISOString(), cmdSet: false };
  } else {
    let base = opts.pull ? undefined : engine.findImage(stage.base);
    if (!base) {
      try {
        base = await engine.pull(stage.base, stage.platform ?? opts.platform);
      } catch (cause) {
        fromStep.failed((cause as Error).message);
        throw new BuildError('BASE_IMAGE', `${where(stage.from)}: ${stage.base}: image not found locally and pulling it failed: ${(cause as Error).message}`, stage.base, { cause });
      }
    }
    const config = structuredClone(base.config);
    config.config ??= {};
    triggers = ((config.config.OnBuild as string[] | undefined) ?? []).slice();
    delete config.config.OnBuild;
    state = { config, layers: base.layers, key: chainKey('image', base.id), imageId: base.id, args: new Map(), created: base.config.created ?? new Date(0).toISOString(), cmdSet: false };
  }
  state.config.config ??= {};
  state.config.history ??= [];
  fromStep.done();

  const lookupAll: Lookup = (name) => {
    const env = envMap(state.config);
    if (env.has(name)) return env.get(name);
    if (state.args.has(name)) return state.args.get(name);
    return undefined;
  };

  const onbuild = triggers.map((t, i) => ({ ...parseDockerfile(t, `ONBUILD`).instructions[0]!, line: i + 1 }));
  const all = [...onbuild, ...stage.instructions];
  for (const [i, ins] of all.entries()) {
    if (ins.keyword === 'ONBUILD' && i < onbuild.length) throw new BuildError('INVALID_INSTRUCTION', 'ONBUILD: chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed', 'ONBUILD');
    const step = opts.progress.step(label, Math.min(i + 2, total), total, ins.original);
    try {
      state = await runInstruction(run, stage, state, ins, escape, where(ins), lookupAll, step);
    } catch (e) {
      step.failed((e as Error).message);
      throw e;
    }
  }
  if (state.layers.length && !state.imageId) state.imageId = await engine.register(state.config, state.layers);
  return { config: state.config, layers: state.layers, key: state.key, imageId: state.imageId };
}

/** The config part of a step: same layers, one more history entry. */
function metadataStep(state: State, change: (c: NonNullable<ImageConfig['config']>) => void, text: string): State {
  const config = structuredClone(state.config);
  config.config ??= {};
  change(config.config);
  config.history = [...(config.history ?? []), history(state, text, true)];
  return { ...state, config, key: chainKey(state.key, text) };
}

async function runInstruction(run: BuildRun, stage: Stage, state: State, ins: Instruction, escape: string, where: string, lookup: Lookup, step: StepProgress): Promise<State> {
  const words = () => expandWords(ins.rest, lookup, escape);
  const word = () => expandWord(ins.rest, lookup, escape);
  const shell = (state.config.config?.Shell as string[] | undefined) ?? DEFAULT_SHELL;
  const commandForm = (): string[] => ins.json ?? [...shell, ins.rest];
  let next: State;
  switch (ins.keyword) {
    case 'ENV': {
      const pairs = keyValues('ENV', ins.rest, lookup, escape, where);
      if (!pairs.length) throw new BuildError('PARSE', `${where}: ENV requires at least one argument`, where);
      next = metadataStep(state, () => undefined, `ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`);
      for (const [k, v] of pairs) setEnv(next.config, k, v);
      break;
    }
    case 'ARG': {
      const pairs = keyValuesOf(ins, lookup, escape, where);
      if (!pairs.length) throw new BuildError('PARSE', `${where}: ARG requires exactly one argument`, where);
      const args = new Map(state.args);
      const text: string[] = [];
      for (const [name, def] of pairs) {
        run.consumed.add(name);
        const value = run.opts.buildArgs?.[name] ?? def ?? run.globals.get(name);
        if (value !== undefined) args.set(name, value);
        text.push(value === undefined ? name : `${name}=${value}`);
      }
      // the value is in the key: steps after an ARG whose value changed rebuild, earlier ones do not
      next = metadataStep(state, () => undefined, `ARG ${text.join(' ')}`);
      next.args = args;
      break;
    }
    case 'LABEL': {
      const pairs = keyValues('LABEL', ins.rest, lookup, escape, where);
      next = metadataStep(state, (c) => (c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs) }), `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`);
      break;
    }
    case 'MAINTAINER':
      next = metadataStep(state, () => undefined, `MAINTAINER ${word()}`);
      next.config.author = word();
      break;
    case 'EXPOSE': {
      const ports = words().map((p) => (p.includes('/') ? p.toLowerCase() : `${p}/tcp`));
      for (const p of ports) if (!/^\d+(-\d+)?\/(tcp|udp|sctp)$/.test(p)) throw new BuildError('INVALID_INSTRUCTION', `${where}: invalid containerPort: ${p.split('/')[0]}`, p);
      next = metadataStep(state, (c) => (c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) }), `EXPOSE map[${ports.map((p) => `${p}:{}`).join(' ')}]`);
      break;
    }
    case 'WORKDIR': {
      const dir = word();
      const abs = posix.resolve(state.config.config?.WorkingDir || '/', dir);
      next = metadataStep(state, (c) => (c.WorkingDir = abs), `WORKDIR ${abs}`);
      break;
    }
    case 'USER':
      next = metadataStep(state, (c) => (c.User = word()), `USER ${word()}`);
      break;
    case 'STOPSIGNAL':
      next = metadataStep(state, (c) => (c.StopSignal = word()), `STOPSIGNAL ${word()}`);
      break;
    case 'VOLUME': {
      const vols = ins.json ?? words();
      if (!vols.length || vols.some((v) => v.trim() === '')) throw new BuildError('INVALID_INSTRUCTION', `${where}: VOLUME specified can not be an empty string`, where);
      next = metadataStep(state, (c) => (c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(vols.map((v) => [v, {}])) }), `VOLUME [${vols.join(' ')}]`);
      break;
    }
    case 'SHELL':
      if (!ins.json || !ins.json.length) throw new BuildError('INVALID_INSTRUCTION', `${where}: SHELL requires the arguments to be in JSON form`, where);
      next = metadataStep(state, (c) => (c.Shell = ins.json), `SHELL [${ins.json.join(' ')}]`);
      break;
    case 'CMD': {
      const cmd = commandForm();
      next = metadataStep(state, (c) => (c.Cmd = cmd), `CMD [${cmd.map((a) => JSON.stringify(a)).join(' ')}]`);
      next.cmdSet = true;
      break;
    }
    case 'ENTRYPOINT': {
      const ep = ins.json ?? (ins.rest ? [...shell, ins.rest] : []);
      next = metadataStep(state, (c) => {
        c.Entrypoint = ep.length ? ep : null;
        // docker: an ENTRYPOINT drops a CMD inherited from the base image
        if (!state.cmdSet) c.Cmd = null;
      }, `ENTRYPOINT [${ep.map((a) => JSON.stringify(a)).join(' ')}]`);
      break;
    }
    case 'HEALTHCHECK': {
      const [kind = '', ...restWords] = ins.rest.split(/\s+/);
      let test: string[];
      if (kind.toUpperCase() === 'NONE') {
        if (restWords.length || ins.flags.length) throw new BuildError('INVALID_INSTRUCTION', `${where}: HEALTHCHECK NONE takes no arguments`, where);
        test = ['NONE'];
      } else if (kind.toUpperCase() === 'CMD') {
        const body = ins.rest.slice(kind.length).trim();
        const json = body.startsWith('[') ? (JSON.parse(body) as string[]) : undefined;
        test = json ? ['CMD', ...json] : ['CMD-SHELL', body];
      } else throw new BuildError('INVALID_INSTRUCTION', `${where}: Unknown type "${kind}" in HEALTHCHECK (try CMD)`, where);
      const hc: Record<string, unknown> = { Test: test };
      const dur = (f: string, key: string) => {
        const v = flagValue(ins, f);
        if (v !== undefined) hc[key] = parseDuration(v, where);
      };
      dur('interval', 'Interval');
      dur('timeout', 'Timeout');
      dur('start-period', 'StartPeriod');
      dur('start-interval', 'StartInterval');
      const retries = flagValue(ins, 'retries');
      if (retries !== undefined) hc.Retries = Number(retries);
      next = metadataStep(state, (c) => (c.Healthcheck = hc), `HEALTHCHECK &{${JSON.stringify(test)}}`);
      break;
    }
    case 'ONBUILD': {
      const inner = ins.rest.trim();
      const kw = inner.split(/\s+/)[0]!.toUpperCase();
      if (kw === 'ONBUILD' || kw === 'FROM' || kw === 'MAINTAINER') throw new BuildError('INVALID_INSTRUCTION', `${where}: ${kw} isn't allowed as an ONBUILD trigger`, where);
      next = metadataStep(state, (c) => (c.OnBuild = [...((c.OnBuild as string[] | undefined) ?? []), inner]), `ONBUILD ${inner}`);
      break;
    }
    case 'RUN':
      return runStep(run, state, ins, where, step, shell);
    case 'COPY':
    case 'ADD':
      return copyStep(run, stage, state, ins, escape, where, lookup, step);
    default:
      throw new BuildError('UNKNOWN_INSTRUCTION', `${where}: unknown instruction: ${ins.keyword}`, where);
  }
  step.done();
  return next;
}

