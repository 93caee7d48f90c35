// Dockerfile-style `--change` instructions for `import` (CMD, ENTRYPOINT, ENV, WORKDIR, USER,
// LABEL, EXPOSE, VOLUME, STOPSIGNAL), applied to an image's container config.
import { ImageError } from './errors.js';
import type { ContainerConfig } from './manifest.js';

// JSON form is an exec array; anything else is run by the shell, as in a Dockerfile
function commandOf(arg: string): string[] {
  if (arg.trimStart().startsWith('[')) {
    try {
      const v = JSON.parse(arg) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      // not JSON after all: shell form
    }
  }
  return ['/bin/sh', '-c', arg];
}

function pairs(arg: string): [string, string][] {
  if (!arg.includes('=')) {
    const sp = arg.search(/\s/);
    return sp < 0 ? [[arg, '']] : [[arg.slice(0, sp), arg.slice(sp).trim()]];
  }
  return (arg.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map((kv) => {
    const eq = kv.indexOf('=');
    const strip = (s: string): string => s.replace(/^"(.*)"$/, '$1');
    return [strip(kv.slice(0, eq)), strip(kv.slice(eq + 1))];
  });
}

const instructions: Record<string, (c: ContainerConfig, arg: string) => void> = {
  CMD: (c, a) => void (c.Cmd = commandOf(a)),
  ENTRYPOINT: (c, a) => void (c.Entrypoint = commandOf(a)),
  WORKDIR: (c, a) => void (c.WorkingDir = a),
  USER: (c, a) => void (c.User = a),
  STOPSIGNAL: (c, a) => void (c.StopSignal = a),
  ENV: (c, a) => {
    const env = c.Env ?? [];
    for (const [k, v] of pairs(a)) {
      const i = env.findIndex((e) => e.startsWith(`${k}=`));
      if (i >= 0) env[i] = `${k}=${v}`;
      else env.push(`${k}=${v}`);
    }
    c.Env = env;
  },
  LABEL: (c, a) => void (c.Labels = { ...c.Labels, ...Object.fromEntries(pairs(a)) }),
  EXPOSE: (c, a) => {
    c.ExposedPorts = { ...c.ExposedPorts };
    for (const p of a.split(/\s+/).filter(Boolean)) c.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
  },
  VOLUME: (c, a) => {
    c.Volumes = { ...c.Volumes };
    for (const v of commandOf(a)[0] === '/bin/sh' ? a.split(/\s+/).filter(Boolean) : commandOf(a)) c.Volumes[v] = {};
  },
};

export function applyChanges(config: ContainerConfig, changes: readonly string[]): ContainerConfig {
  for (const change of changes) {
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(change);
    const apply = m ? instructions[m[1]!.toUpperCase()] : undefined;
    if (!m || !apply) {
      throw new ImageError('INVALID_REFERENCE', `unsupported --change "${change}" (want one of ${Object.keys(instructions).join(', ')})`, change);
    }
    apply(config, m[2]!.trim());
  }
  return config;
}
