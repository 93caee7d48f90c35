// `vessel serve`: the Docker Engine API on a socket, over the same root as the CLI. Stateless: it
// may stop and start while containers run under their supervisors.
import { createWriteStream, type WriteStream } from 'node:fs';
import { DEFAULT_SOCKET, serveVessel } from '../../../api/index.js';
import { VERSION } from '../../../engine/system/version.js';
import { defineCommand, UsageError } from '../command.js';

export default defineCommand({
  usage: 'vessel serve [OPTIONS]',
  description: 'Serve the Docker Engine API',
  flags: {
    host: { type: 'strings', short: 'H', description: `Daemon socket(s) to listen on: unix:///PATH, tcp://ADDR:PORT, fd:// (default unix://${DEFAULT_SOCKET})`, valueName: 'list' },
    group: { type: 'string', short: 'G', description: 'Group that may use the unix socket(s)', valueName: 'string' },
    timeout: { type: 'int', description: 'Exit after this many seconds without a request (0: never)', valueName: 'int', default: 0 },
    tlsverify: { type: 'bool', description: 'Use TLS and verify the client certificates against --tlscacert' },
    tlscacert: { type: 'string', description: 'Trust certs signed only by this CA', valueName: 'string' },
    tlscert: { type: 'string', description: 'Path to TLS certificate file', valueName: 'string' },
    tlskey: { type: 'string', description: 'Path to TLS key file', valueName: 'string' },
    'insecure-tcp': { type: 'bool', description: 'Allow tcp:// without TLS (anyone who reaches it is root on this host)' },
    'log-file': { type: 'string', description: 'Write the request log to this file (reopened on SIGHUP) instead of stderr', valueName: 'string' },
  },
  args: { max: 0 },
  async run(inv) {
    const { flags, io } = inv;
    const tls = flags.tlsverify ? tlsFiles(flags.tlscacert, flags.tlscert, flags.tlskey) : undefined;
    let logFile: WriteStream | undefined;
    const openLog = () => {
      logFile?.end();
      logFile = flags['log-file'] ? createWriteStream(flags['log-file'], { flags: 'a' }) : undefined;
    };
    openLog();
    const log = (line: string) => (logFile ?? io.err).write(`${new Date().toISOString()} ${line}\n`);
    const server = serveVessel(inv.vessel(), VERSION, {
      hosts: flags.host.length ? flags.host : [`unix://${DEFAULT_SOCKET}`],
      group: flags.group,
      tls,
      insecureTcp: flags['insecure-tcp'],
      idleTimeoutMs: (flags.timeout ?? 0) * 1000,
      log,
    });
    await server.start();
    const stop = () => void server.stop();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', openLog);
    log(`vessel ${VERSION} serving the Engine API on ${(flags.host.length ? flags.host : [`unix://${DEFAULT_SOCKET}`]).join(', ')}`);
    await server.stopped;
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    process.off('SIGHUP', openLog);
    logFile?.end();
    return 0;
  },
});

function tlsFiles(ca: string | undefined, cert: string | undefined, key: string | undefined): { ca: string; cert: string; key: string } {
  if (!ca || !cert || !key) throw new UsageError('--tlsverify needs --tlscacert, --tlscert and --tlskey');
  return { ca, cert, key };
}
