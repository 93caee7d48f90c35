// Docker's flag value syntaxes: sizes, ulimits, -v and --mount specs, restart policies, key=value.
import { isAbsolute, resolve } from 'node:path';
import { parseByteSize } from '../../byte-size.js';
import { EngineError } from '../errors.js';
import type { MountRequest, RestartPolicy, Ulimit } from './types.js';

const bad = (flag: string, value: string, why: string) => new EngineError('INVALID_OPTION', `invalid argument "${value}" for "${flag}" flag: ${why}`, value);

/** `512m`, `1g`, `1048576`; -1 stays -1 (unlimited swap). */
export function parseBytes(flag: string, value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === null) throw bad(flag, value, 'expected a size such as 512m or 1g');
  return bytes;
}

export function parseCpus(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw bad('--cpus', value, 'expected a number of CPUs');
  return Math.round(n * 1e9);
}

/** `nofile=1024:2048` or `nproc=512`. */
export function parseUlimit(value: string): Ulimit {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (!m) throw bad('--ulimit', value, 'expected NAME=SOFT[:HARD]');
  const soft = Number(m[2]);
  return { Name: m[1]!, Soft: soft, Hard: m[3] === undefined ? soft : Number(m[3]) };
}

export function parseRestart(value: string | undefined): RestartPolicy {
  if (!value || value === 'no') return { Name: value ? 'no' : '', MaximumRetryCount: 0 };
  const [name, count] = value.split(':');
  if (name === 'on-failure') {
    const n = count === undefined ? 0 : Number(count);
    if (!Number.isInteger(n) || n < 0) throw bad('--restart', value, 'the retry count must be a non-negative integer');
    return { Name: 'on-failure', MaximumRetryCount: n };
  }
  if ((name === 'always' || name === 'unless-stopped') && count === undefined) return { Name: name, MaximumRetryCount: 0 };
  throw bad('--restart', value, 'expected no, always, unless-stopped or on-failure[:N]');
}

/** `KEY=VALUE` pairs; a bare KEY is an error unless `allowBare`. */
export function parseKeyValues(flag: string, values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw bad(flag, v, 'expected KEY=VALUE');
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** A source starting with `.` is a host path relative to the client's directory (docker 23+). */
const isRelativeBind = (source: string) => source.startsWith('.');

/**
 * `-v ./rel:/ctr` with the source made absolute against `cwd`, as the docker CLI sends it: only
 * the client knows its working directory. Anything else is returned as is.
 */
export function absoluteBindSpec(value: string, cwd: string): string {
  const colon = value.indexOf(':');
  if (colon < 0 || !isRelativeBind(value.slice(0, colon))) return value;
  return `${resolve(cwd, value.slice(0, colon))}${value.slice(colon)}`;
}

/** `--mount …,source=./rel,…` with the source made absolute against `cwd` (docker 23+: `.` and `./…` only). */
export function absoluteMountSpec(value: string, cwd: string): string {
  return value
    .split(',')
    .map((field) => {
      const m = /^(source|src)=(\.|\.\/.*)$/.exec(field);
      return m ? `${m[1]}=${resolve(cwd, m[2]!)}` : field;
    })
    .join(',');
}

/** `-v`: `/host:/ctr[:ro|rw]`, `name:/ctr[:ro]`, or `/ctr` (an anonymous volume). */
export function parseVolumeFlag(value: string): MountRequest {
  const parts = value.split(':');
  if (parts.length === 1) {
    if (!isAbsolute(parts[0]!)) throw bad('--volume', value, 'the container path must be absolute');
    return { Type: 'volume', Source: '', Target: parts[0]!, ReadOnly: false, Options: [] };
  }
  if (parts.length > 3) throw bad('--volume', value, 'expected SOURCE:TARGET[:MODE]');
  const [source, target, mode = 'rw'] = parts as [string, string, string?];
  if (!isAbsolute(target)) throw bad('--volume', value, 'the container path must be absolute');
  const modes = mode.split(',');
  if (modes.some((m) => !['ro', 'rw', 'z', 'Z', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'nocopy'].includes(m))) throw bad('--volume', value, `unknown mode ${mode}`);
  const options = modes.filter((m) => /private|shared|slave/.test(m));
  if (isRelativeBind(source)) throw bad('--volume', value, `invalid mount config for type "bind": bind source path must be absolute: ${source}`);
  if (!isAbsolute(source)) return { Type: 'volume', Source: source, Target: target, ReadOnly: modes.includes('ro'), Options: options };
  return { Type: 'bind', Source: source, Target: target, ReadOnly: modes.includes('ro'), Options: options, CreateMountpoint: true };
}

/** `--mount type=bind,source=/a,target=/b,readonly` and the volume and tmpfs forms. */
export function parseMountFlag(value: string): MountRequest {
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    fields.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? 'true' : part.slice(eq + 1));
  }
  const type = fields.get('type') ?? 'volume';
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw bad('--mount', value, `unsupported type ${type}`);
  const target = fields.get('target') ?? fields.get('destination') ?? fields.get('dst');
  if (!target || !isAbsolute(target)) throw bad('--mount', value, 'target must be an absolute path');
  const source = fields.get('source') ?? fields.get('src') ?? '';
  if (type === 'bind' && !isAbsolute(source)) throw bad('--mount', value, 'a bind mount needs an absolute source');
  const ro = fields.get('readonly') ?? fields.get('ro');
  const options: string[] = [];
  if (fields.has('tmpfs-size')) options.push(`size=${parseBytes('--mount', fields.get('tmpfs-size')!)}`);
  if (fields.has('tmpfs-mode')) options.push(`mode=${fields.get('tmpfs-mode')}`);
  if (fields.has('bind-propagation')) options.push(fields.get('bind-propagation')!);
  return { Type: type, Source: source, Target: target, ReadOnly: ro === 'true' || ro === '1', Options: options };
}

/** `--tmpfs /run:size=64m,mode=1777`. */
export function parseTmpfsFlag(value: string): [string, string] {
  const colon = value.indexOf(':');
  const target = colon < 0 ? value : value.slice(0, colon);
  if (!isAbsolute(target)) throw bad('--tmpfs', value, 'the path must be absolute');
  return [target, colon < 0 ? '' : value.slice(colon + 1)];
}

/** `--env-file` contents: KEY=VALUE lines, comments and blanks skipped, bare KEY from our env. */
export function parseEnvFile(text: string, hostEnv: NodeJS.ProcessEnv): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .flatMap((l) => expandEnv(l, hostEnv));
}

/** `-e KEY=VALUE` as is; `-e KEY` takes our value, or is dropped when we have none (docker). */
export function expandEnv(entry: string, hostEnv: NodeJS.ProcessEnv): string[] {
  if (entry.includes('=')) return [entry];
  const v = hostEnv[entry];
  return v === undefined ? [] : [`${entry}=${v}`];
}

/** Later entries replace earlier ones with the same key, keeping the first one's position. */
export function mergeEnv(...lists: string[][]): string[] {
  const out = new Map<string, string>();
  for (const list of lists) for (const e of list) out.set(e.split('=')[0]!, e);
  return [...out.values()];
}
