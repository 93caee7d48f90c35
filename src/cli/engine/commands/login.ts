import { defineCommand, UsageError } from '../command.js';

async function readStdin(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export default defineCommand({
  usage: 'vessel login [OPTIONS] [SERVER]',
  description: 'Log in to a registry (credentials are stored in ROOT/auth.json, mode 0600, or $REGISTRY_AUTH_FILE)',
  flags: {
    username: { type: 'string', short: 'u', description: 'Username', valueName: 'string' },
    password: { type: 'string', short: 'p', description: 'Password', valueName: 'string' },
    'password-stdin': { type: 'bool', description: 'Take the password from stdin' },
    'tls-verify': { type: 'bool', description: 'Require HTTPS and verify certificates (false also allows plain HTTP)', default: true },
  },
  args: { max: 1 },
  async run({ args, flags, isSet, io, vessel }) {
    const server = (args[0] ?? 'docker.io').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!flags.username) throw new UsageError('login needs --username (interactive prompts are not supported)');
    if (flags['password-stdin'] && flags.password) throw new UsageError('--password and --password-stdin are mutually exclusive');
    const password = flags['password-stdin'] ? await readStdin(io.in) : flags.password;
    if (!password) throw new UsageError('login needs --password or --password-stdin');
    const credentials = { username: flags.username, password };
    await vessel().images.login(server, credentials, isSet('tls-verify') ? { tlsVerify: flags['tls-verify'] } : {});
    io.out.write('Login Succeeded\n');
  },
});
