import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build, BuildContext, BuildEngine, BuildError, plainProgress } from '../../../build/index.js';
import { defineCommand, UsageError } from '../command.js';
import { engineOf } from './container-context.js';

function pairs(flag: string, values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0 && flag !== '--build-arg') throw new UsageError(`invalid ${flag} value "${v}": expected KEY=VALUE`);
    if (eq < 0) {
      if (process.env[v] !== undefined) out[v] = process.env[v]!;
      continue;
    }
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

function csv(value: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    m.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  return m;
}

async function readStdin(input: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export default defineCommand({
  usage: 'vessel build [OPTIONS] PATH | URL | -',
  description: 'Build an image from a Dockerfile',
  flags: {
    tag: { type: 'strings', short: 't', description: 'Name and optionally a tag (format: "name:tag")', valueName: 'stringArray' },
    file: { type: 'string', short: 'f', description: 'Name of the Dockerfile (default: "PATH/Dockerfile")', valueName: 'string' },
    'build-arg': { type: 'strings', description: 'Set build-time variables', valueName: 'stringArray' },
    'build-context': { type: 'strings', description: 'Additional build contexts (e.g., name=path)', valueName: 'stringArray' },
    'cache-from': { type: 'strings', description: 'External cache sources', valueName: 'stringArray' },
    iidfile: { type: 'string', description: 'Write the image ID to a file', valueName: 'string' },
    label: { type: 'strings', description: 'Set metadata for an image', valueName: 'stringArray' },
    network: { type: 'string', description: 'Set the networking mode for the RUN instructions during build', valueName: 'string', default: 'default' },
    'no-cache': { type: 'bool', description: 'Do not use cache when building the image' },
    output: { type: 'strings', short: 'o', description: 'Output destination (format: "type=local,dest=path")', valueName: 'stringArray' },
    platform: { type: 'string', description: 'Set target platform for build', valueName: 'string' },
    progress: { type: 'string', description: 'Set type of progress output ("auto", "plain", "tty", "quiet")', valueName: 'string', default: 'auto' },
    pull: { type: 'bool', description: 'Always attempt to pull all referenced images' },
    quiet: { type: 'bool', short: 'q', description: 'Suppress the build output and print image ID on success' },
    secret: { type: 'strings', description: 'Secret to expose to the build (format: "id=mysecret,src=/local/secret")', valueName: 'stringArray' },
    target: { type: 'string', description: 'Set the target build stage to build', valueName: 'string' },
  },
  args: { min: 1, max: 1 },
  async run(inv) {
    const { flags, io } = inv;
    if (!['auto', 'plain', 'tty', 'quiet'].includes(flags.progress ?? 'auto')) throw new UsageError(`invalid progress mode "${flags.progress}": use auto, plain, tty or quiet`);
    const temp: string[] = [];
    try {
      let contextDir = inv.args[0]!;
      let dockerfileText: string | undefined;
      let dockerfilePath: string | undefined;
      if (contextDir === '-') {
        const data = await readStdin(io.in);
        const dir = mkdtempSync(join(tmpdir(), 'vessel-build-'));
        temp.push(dir);
        contextDir = dir;
        const isTar = (data.length >= 262 && data.subarray(257, 262).toString('latin1') === 'ustar') || (data[0] === 0x1f && data[1] === 0x8b);
        if (isTar) {
          const file = join(dir, '..', `${basename(dir)}.tar`);
          writeFileSync(file, data);
          temp.push(file);
          const { extractArchive } = await import('../../../build/context-archive.js');
          await extractArchive(file, dir);
        } else dockerfileText = data.toString('utf8');
      }
      if (flags.file === '-') dockerfileText = (await readStdin(io.in)).toString('utf8');
      else if (dockerfileText === undefined) {
        dockerfilePath = flags.file ? resolve(flags.file) : join(contextDir, 'Dockerfile');
        if (flags.file && contextDir !== inv.args[0] && !flags.file.startsWith('/')) dockerfilePath = join(contextDir, flags.file);
        try {
          dockerfileText = readFileSync(dockerfilePath, 'utf8');
        } catch {
          throw new BuildError('CONTEXT_NOT_FOUND', `failed to read dockerfile: open ${dockerfilePath}: no such file or directory`, dockerfilePath);
        }
      }
      const context = BuildContext.open(contextDir, dockerfilePath);
      const buildContexts = Object.fromEntries(Object.entries(pairs('--build-context', flags['build-context'])).map(([k, v]) => [k, BuildContext.open(v)]));
      const secrets: Record<string, string> = {};
      for (const s of flags.secret) {
        const f = csv(s);
        const id = f.get('id');
        const src = f.get('src') ?? f.get('source');
        if (!id || !src) throw new UsageError(`invalid secret "${s}": expected id=ID,src=FILE`);
        secrets[id] = resolve(src);
      }
      const quiet = flags.quiet || flags.progress === 'quiet';
      const progress = plainProgress(io.err, quiet);
      const engine = new BuildEngine(engineOf(inv));
      const result = await build(engine, {
        context, dockerfile: dockerfileText!, dockerfileName: dockerfilePath ? basename(dockerfilePath) : 'Dockerfile',
        buildArgs: pairs('--build-arg', flags['build-arg']), labels: pairs('--label', flags.label), tags: flags.tag,
        noCache: flags['no-cache'], pull: flags.pull, network: flags.network === 'default' ? 'bridge' : flags.network!,
        buildContexts, secrets, cacheFrom: flags['cache-from'], progress,
        ...(flags.target ? { target: flags.target } : {}),
        ...(flags.platform ? { platform: flags.platform } : {}),
      });
      for (const o of flags.output) {
        const f = o.includes('=') ? csv(o) : new Map([['type', 'local'], ['dest', o]]);
        const type = f.get('type') ?? 'local';
        const dest = f.get('dest');
        if (type === 'local') {
          if (!dest) throw new UsageError('-o type=local needs dest=DIR');
          await engine.exportFs(result.imageId, { dir: resolve(dest) });
        } else if (type === 'tar') {
          const out = !dest || dest === '-' ? io.out : createWriteStream(resolve(dest));
          await engine.exportFs(result.imageId, { stream: out });
          if (out !== io.out) await new Promise<void>((res) => out.end(res));
        } else if (type !== 'image' && type !== 'docker') throw new UsageError(`unsupported output type "${type}": use local, tar or image`);
      }
      if (flags.iidfile) writeFileSync(flags.iidfile, result.imageId);
      if (!quiet) {
        io.err.write(`writing image ${result.imageId} done\n`);
        for (const t of flags.tag) io.err.write(`naming to ${t} done\n`);
      } else io.out.write(`${result.imageId}\n`);
      return 0;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.err.write(`ERROR: failed to solve: ${(e as Error).message}\n`);
      return 1;
    } finally {
      for (const t of temp) rmSync(t, { recursive: true, force: true });
    }
  },
});
