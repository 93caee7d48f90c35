// RUN: the command (exec form, shell form with the SHELL in force, or a heredoc script) in a
// container on the parent's layers, with the build args as environment, the step's network and
// its --mount's (cache directories that persist, tmpfs, context binds, secrets).
import { lstatSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import { cacheMountDir, chainKey } from './cache.js';
import { flagValue, flagValues, type Instruction } from './dockerfile/parse.js';
import { BuildError } from './errors.js';
import { cached, inContainer, withLayer } from './layer-step.js';
import type { StepProgress } from './progress.js';
import { PROXY_ARGS, type BuildRun } from './run-context.js';
import { envMap, type State } from './stage.js';

function runMounts(run: BuildRun, ins: Instruction, where: string): string[] {
  return flagValues(ins, 'mount').map((spec) => {
    const f = new Map<string, string>();
    for (const part of spec.split(',')) {
      const eq = part.indexOf('=');
      f.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? 'true' : part.slice(eq + 1));
    }
    const type = f.get('type') ?? 'bind';
    const target = f.get('target') ?? f.get('dst') ?? f.get('destination');
    const ro = f.get('readonly') === 'true' || f.get('ro') === 'true';
    switch (type) {
      case 'cache': {
        if (!target) throw new BuildError('INVALID_INSTRUCTION', `${where}: mount type=cache needs a target`, spec);
        const dir = cacheMountDir(run.engine.root, f.get('id') ?? target);
        mkdirSync(dir, { recursive: true, mode: Number.parseInt(f.get('mode') ?? '755', 8) });
        return `type=bind,source=${dir},target=${target}${ro ? ',readonly' : ''}`;
      }
      case 'tmpfs':
        if (!target) throw new BuildError('INVALID_INSTRUCTION', `${where}: mount type=tmpfs needs a target`, spec);
        return `type=tmpfs,target=${target}${f.has('size') ? `,tmpfs-size=${f.get('size')}` : ''}`;
      case 'secret': {
        const id = f.get('id') ?? posix.basename(target ?? '');
        const src = run.opts.secrets?.[id];
        if (!src) {
          if (f.get('required') === 'true') throw new BuildError('INVALID_OPTION', `${where}: secret ${id} not found: pass it with --secret id=${id},src=FILE`, id);
          return '';
        }
        return `type=bind,source=${src},target=${target ?? `/run/secrets/${id}`},readonly`;
      }
      case 'bind': {
        if (!target) throw new BuildError('INVALID_INSTRUCTION', `${where}: mount type=bind needs a target`, spec);
        if (f.has('from')) throw new BuildError('INVALID_OPTION', `${where}: RUN --mount=type=bind,from= is not supported yet`, spec);
        const src = run.opts.context.resolve(run.opts.context.clean(f.get('source') ?? f.get('src') ?? '.', where), where);
        return `type=bind,source=${src},target=${target}${f.get('rw') === 'true' || f.get('readwrite') === 'true' ? '' : ',readonly'}`;
      }
      default:
        throw new BuildError('INVALID_OPTION', `${where}: unsupported mount type ${type}`, spec);
    }
  }).filter(Boolean);
}

/** The first component of `target` the root lacks (the top of what mounting there creates). */
function firstMissing(root: string, target: string): string | undefined {
  let path = '';
  for (const part of target.split('/').filter(Boolean)) {
    path = `${path}/${part}`;
    try {
      // a symlink on the way: leave it to the runtime, never resolve it here
      if (lstatSync(join(root, path)).isSymbolicLink()) return undefined;
    } catch {
      return path;
    }
  }
  return undefined;
}

/** Removes `path` below `root` if it holds nothing but empty directories and the empty files the
 * runtime made to mount files on (`targets`). */
function removeStubs(root: string, path: string, targets: string[]): boolean {
  const abs = join(root, path);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return true;
  }
  if (st.isFile() && st.size === 0 && targets.includes(path)) {
    rmSync(abs);
    return true;
  }
  if (!st.isDirectory()) return false;
  const emptied = readdirSync(abs).every((name) => removeStubs(root, `${path}/${name}`, targets));
  if (!emptied) return false;
  rmdirSync(abs);
  return true;
}

export async function runStep(run: BuildRun, state: State, ins: Instruction, where: string, step: StepProgress, shell: string[]): Promise<State> {
  let cmd: string[];
  if (ins.json) cmd = ins.json;
  else if (ins.heredocs.length === 1 && /^<<-?["']?[A-Za-z_][A-Za-z0-9_.-]*["']?$/.test(ins.rest)) cmd = [...shell, ins.heredocs[0]!.content];
  else if (ins.heredocs.length) cmd = [...shell, `${ins.rest}\n${ins.heredocs.map((h) => `${h.content}${h.name}`).join('\n')}`];
  else cmd = [...shell, ins.rest];
  const env = envMap(state.config);
  // build args reach RUN as environment variables; ENV wins over ARG, as in docker
  const argEnv = [...state.args].filter(([k]) => !env.has(k)).map(([k, v]) => `${k}=${v}`);
  const proxy = PROXY_ARGS.filter((p) => run.opts.buildArgs?.[p] !== undefined && !state.args.has(p)).map((p) => `${p}=${run.opts.buildArgs![p]}`);
  const network = flagValue(ins, 'network') ?? run.opts.network ?? 'bridge';
  const mounts = runMounts(run, ins, where);
  const text = `RUN ${argEnv.length ? `|${argEnv.length} ${argEnv.join(' ')} ` : ''}${cmd.join(' ')}`;
  const key = chainKey(state.key, text, JSON.stringify(flagValues(ins, 'mount')), network);
  const hit = cached(run, state, key, text);
  if (hit) {
    step.cached();
    return withLayer(run, state, key, text, hit.layer, hit.created, hit.image);
  }
  const created = new Date().toISOString();
  const targets = mounts.map((m) => /(?:^|,)target=([^,]+)/.exec(m)![1]!);
  const layer = await inContainer(run, state, { cmd, env: [...(state.config.config?.Env ?? []), ...argEnv, ...proxy], network: network === 'default' ? 'bridge' : network, mounts }, async (id) => {
    const out = step.out;
    // the directories made only to mount on are not the step's changes (BuildKit leaves them out too)
    const stubs = targets.length ? await run.engine.withRootfs(id, async (root) => targets.map((t) => firstMissing(root, t)).filter((p): p is string => p !== undefined)) : [];
    const code = await run.engine.run(id, out, out);
    if (stubs.length) await run.engine.withRootfs(id, async (root) => stubs.forEach((p) => removeStubs(root, p, targets)));
    if (code !== 0) {
      throw new BuildError('RUN_FAILED', `${where}: process "${cmd.join(' ')}" did not complete successfully: exit code: ${code}`, where, { exitCode: code });
    }
  });
  step.done();
  return withLayer(run, state, key, text, layer, created, undefined);
}

