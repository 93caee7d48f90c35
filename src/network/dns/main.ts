// Entry point of the resolver process: `vessel-dns DB_PATH [--adopt CONTAINER_ID]`, started
// detached by control.ts; with --adopt, descriptors 3 and 4 are that container's UDP and TCP
// sockets. VESSEL_DNS_HOST_RESOLV_CONF names the file to read the host's resolvers from (tests
// point it at their own upstream). It exits by itself once it serves no container.
import { netnsSys } from '../../sys/netns.js';
import { controlName, handOver } from './control.js';
import { Resolver } from './resolver.js';
import { openResolverSockets } from './sockets.js';
import { HOST_RESOLV_CONF } from './upstreams.js';
import { openSqlite } from '../../state/sqlite.js';

const ADOPTED = { udp: 3, tcp: 4 };
/** Tries to take the control socket from a resolver that is exiting, or to give it our sockets. */
const CONTROL_ATTEMPTS = 50;

const [dbPath, flag, containerId] = process.argv.slice(2);
if (!dbPath || (flag !== undefined && (flag !== '--adopt' || !containerId))) {
  process.stderr.write('usage: vessel-dns DB_PATH [--adopt CONTAINER_ID]\n');
  process.exit(2);
}
const db = openSqlite(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
const name = controlName(dbPath);
const resolver = new Resolver({
  db,
  dbPath,
  controlName: name,
  hostResolvConf: process.env.VESSEL_DNS_HOST_RESOLV_CONF || HOST_RESOLV_CONF,
  takeFd: (pid, fd) => netnsSys().pidfdGetFd(pid, fd),
  peerOf: (fd) => netnsSys().peerCredentials(fd),
  openSockets: (netnsPath) => openResolverSockets(netnsPath),
  onExit: () => {
    db.close();
    process.exit(0);
  },
});
process.on('SIGTERM', () => resolver.stop());

/** Serves (undefined), or hands the sockets to the resolver already serving (an exit code). */
async function main(): Promise<number | undefined> {
  for (let i = 0; i < CONTROL_ATTEMPTS; i++) {
    if (await resolver.start()) {
      if (containerId) await resolver.adopt(containerId, ADOPTED.udp, ADOPTED.tcp);
      resolver.sweep();
      return undefined;
    }
    // another resolver serves this database (two first containers started at once): it takes ours
    if (!containerId || handOver(name, containerId, ADOPTED)) return 0;
    await new Promise((r) => setTimeout(r, 10));
  }
  return 1;
}

main().then(
  (code) => {
    if (code === undefined) return;
    db.close();
    process.exit(code);
  },
  (e: Error) => {
    process.stderr.write(`vessel-dns: ${e.message}\n`);
    process.exit(1);
  },
);
