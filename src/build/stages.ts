// The stage graph: global ARGs before the first FROM, one stage per FROM with the instructions up
// to the next, and which stages each needs (its FROM, COPY --from, RUN --mount from=). Only the
// target's dependencies are built.
import { BuildError } from './errors.js';
import { expandWord, type Lookup } from './dockerfile/expand.js';
import { flagValue, flagValues, type Dockerfile, type Instruction } from './dockerfile/parse.js';

export interface Stage {
  index: number;
  /** `AS name`, lower-case */
  name?: string;
  from: Instruction;
  /** the FROM image as written, expanded with the global ARGs */
  base: string;
  platform?: string;
  instructions: Instruction[];
}

export interface StageGraph {
  globalArgs: Instruction[];
  stages: Stage[];
}

export function stageGraph(df: Dockerfile, lookupGlobal: Lookup): StageGraph {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of df.instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.rest.split(/\s+/).filter(Boolean);
      const where = `${df.file}:${ins.line}`;
      if (words.length !== 1 && !(words.length === 3 && words[1]!.toUpperCase() === 'AS')) {
        throw new BuildError('PARSE', `${where}: FROM requires either one or three arguments`, where);
      }
      const name = words[2]?.toLowerCase();
      if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) throw new BuildError('PARSE', `${where}: invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`, where);
      if (name !== undefined && stages.some((s) => s.name === name)) throw new BuildError('PARSE', `${where}: duplicate name ${name}`, where);
      const platform = flagValue(ins, 'platform');
      stages.push({
        index: stages.length, ...(name ? { name } : {}), from: ins, base: expandWord(words[0]!, lookupGlobal, df.escape),
        ...(platform ? { platform: expandWord(platform, lookupGlobal, df.escape) } : {}), instructions: [],
      });
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      if (ins.keyword !== 'ARG') throw new BuildError('PARSE', `${df.file}:${ins.line}: no build stage in current context`, `${df.file}:${ins.line}`);
      globalArgs.push(ins);
      continue;
    }
    current.instructions.push(ins);
  }
  if (!stages.length) throw new BuildError('PARSE', `${df.file}: the Dockerfile has no FROM instruction`, df.file);
  return { globalArgs, stages };
}

/** An earlier stage a name or index refers to, or undefined (an image). */
export function stageNamed(graph: StageGraph, ref: string, before: number): Stage | undefined {
  const lower = ref.toLowerCase();
  const byName = graph.stages.find((s) => s.name === lower && s.index < before);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    if (n < before) return graph.stages[n];
    throw new BuildError('NO_SUCH_STAGE', `invalid stage index ${ref}: a stage can only refer to earlier stages`, ref);
  }
  return undefined;
}

/** Stages the stage `target` needs, itself included, in index order. */
export function neededStages(graph: StageGraph, target: Stage): Stage[] {
  const needed = new Set<number>();
  const visit = (s: Stage) => {
    if (needed.has(s.index)) return;
    needed.add(s.index);
    const dep = stageNamed(graph, s.base, s.index);
    if (dep) visit(dep);
    for (const ins of s.instructions) {
      const refs = [flagValue(ins, 'from'), ...flagValues(ins, 'mount').map((m) => /(?:^|,)from=([^,]+)/.exec(m)?.[1])];
      for (const r of refs) {
        const d = r === undefined ? undefined : stageNamed(graph, r, s.index);
        if (d) visit(d);
      }
    }
  };
  visit(target);
  return [...needed].sort((a, b) => a - b).map((i) => graph.stages[i]!);
}

export function targetStage(graph: StageGraph, target?: string): Stage {
  if (target === undefined) return graph.stages[graph.stages.length - 1]!;
  const s = graph.stages.find((x) => x.name === target.toLowerCase());
  if (!s) throw new BuildError('NO_SUCH_STAGE', `target stage "${target}" could not be found`, target);
  return s;
}
