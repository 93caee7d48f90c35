// Every `vessel` command: one line each. Modules load only when their command runs, which keeps
// start-up fast. A name with a space is a sub-command (`image ls`); several names may share a module.
import type { CommandSpec, FlagSpecs } from '../command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ default: CommandSpec<FlagSpecs> }>;
  /** listed under its group's help only, not in `vessel --help` */
  hidden?: boolean;
}

// each module's flag types differ; the dispatcher only needs the common shape
type Loader = () => Promise<{ default: unknown }>;
const entry = (name: string, summary: string, load: Loader, hidden = false): CommandEntry => ({
  name,
  summary,
  load: load as CommandEntry['load'],
  hidden,
});

export const commands: CommandEntry[] = [
  entry('run', 'Create and run a new container from an image', () => import('./run.js')),
  entry('create', 'Create a new container', () => import('./create.js')),
  entry('start', 'Start one or more stopped containers', () => import('./start.js')),
  entry('ps', 'List containers', () => import('./ps.js')),
  entry('logs', 'Fetch the logs of a container', () => import('./logs.js')),
  entry('stop', 'Stop one or more running containers', () => import('./stop.js')),
  entry('kill', 'Kill one or more running containers', () => import('./kill.js')),
  entry('rm', 'Remove one or more containers', () => import('./rm.js')),
  entry('wait', 'Block until one or more containers stop, then print their exit codes', () => import('./wait.js')),
  entry('inspect', 'Return low-level information on containers', () => import('./inspect.js')),
  entry('container ls', 'List containers', () => import('./ps.js'), true),
  entry('container inspect', 'Return low-level information on containers', () => import('./inspect.js'), true),
  entry('exec', 'Execute a command in a running container', () => import('./exec.js')),
  entry('export', "Export a container's filesystem as a tar archive", () => import('./export.js')),
  entry('commit', "Create a new image from a container's changes", () => import('./commit.js')),
  entry('diff', "Inspect changes to files or directories on a container's filesystem", () => import('./diff.js')),
  entry('cp', 'Copy files/folders between a container and the local filesystem', () => import('./cp.js')),
  entry('container cleanup', "Record a container's exit and release what it held", () => import('./container-cleanup.js'), true),
  entry('build', 'Build an image from a Dockerfile', () => import('./build.js')),
  entry('builder prune', 'Remove build cache', () => import('./builder-prune.js'), true),
  entry('pull', 'Download an image from a registry', () => import('./pull.js')),
  entry('push', 'Upload an image to a registry', () => import('./push.js')),
  entry('tag', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', () => import('./tag.js')),
  entry('images', 'List images', () => import('./images.js')),
  entry('rmi', 'Remove one or more images', () => import('./rmi.js')),
  entry('history', 'Show the history of an image', () => import('./history.js')),
  entry('load', 'Load an image from a tar archive or STDIN', () => import('./load.js')),
  entry('save', 'Save one or more images to a tar archive (streamed to STDOUT by default)', () => import('./save.js')),
  entry('import', 'Import the contents from a tarball to create a filesystem image', () => import('./import.js')),
  entry('login', 'Log in to a registry', () => import('./login.js')),
  entry('logout', 'Log out from a registry', () => import('./logout.js')),
  entry('image ls', 'List images', () => import('./images.js'), true),
  entry('image list', 'List images', () => import('./images.js'), true),
  entry('image rm', 'Remove one or more images', () => import('./rmi.js'), true),
  entry('image inspect', 'Display detailed information on one or more images', () => import('./image-inspect.js'), true),
  entry('image prune', 'Remove unused images', () => import('./image-prune.js'), true),
  entry('image pull', 'Download an image from a registry', () => import('./pull.js'), true),
  entry('image push', 'Upload an image to a registry', () => import('./push.js'), true),
  entry('image tag', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', () => import('./tag.js'), true),
  entry('image history', 'Show the history of an image', () => import('./history.js'), true),
  entry('image load', 'Load an image from a tar archive or STDIN', () => import('./load.js'), true),
  entry('image save', 'Save one or more images to a tar archive', () => import('./save.js'), true),
  entry('image import', 'Import the contents from a tarball to create a filesystem image', () => import('./import.js'), true),
  entry('network create', 'Create a network', () => import('./network-create.js'), true),
  entry('network ls', 'List networks', () => import('./network-ls.js'), true),
  entry('network list', 'List networks', () => import('./network-ls.js'), true),
  entry('network inspect', 'Display detailed information on one or more networks', () => import('./network-inspect.js'), true),
  entry('network rm', 'Remove one or more networks', () => import('./network-rm.js'), true),
  entry('network prune', 'Remove all unused networks', () => import('./network-prune.js'), true),
  entry('network connect', 'Connect a container to a network', () => import('./network-connect.js'), true),
  entry('network disconnect', 'Disconnect a container from a network', () => import('./network-disconnect.js'), true),
  entry('restart', 'Restart one or more containers', () => import('./restart.js')),
  entry('pause', 'Pause all processes within one or more containers', () => import('./pause.js')),
  entry('unpause', 'Unpause all processes within one or more containers', () => import('./unpause.js')),
  entry('rename', 'Rename a container', () => import('./rename.js')),
  entry('port', 'List port mappings or a specific mapping for the container', () => import('./port.js')),
  entry('top', 'Display the running processes of a container', () => import('./top.js')),
  entry('stats', "Display a live stream of container(s) resource usage statistics", () => import('./stats.js')),
  entry('attach', 'Attach local standard input, output, and error streams to a running container', () => import('./attach.js')),
  entry('container prune', 'Remove all stopped containers', () => import('./container-prune.js'), true),
  entry('container attach', 'Attach local standard input, output, and error streams to a running container', () => import('./attach.js'), true),
  entry('container commit', "Create a new image from a container's changes", () => import('./commit.js'), true),
  entry('container cp', 'Copy files/folders between a container and the local filesystem', () => import('./cp.js'), true),
  entry('container create', 'Create a new container', () => import('./create.js'), true),
  entry('container diff', "Inspect changes to files or directories on a container's filesystem", () => import('./diff.js'), true),
  entry('container exec', 'Execute a command in a running container', () => import('./exec.js'), true),
  entry('container export', "Export a container's filesystem as a tar archive", () => import('./export.js'), true),
  entry('container kill', 'Kill one or more running containers', () => import('./kill.js'), true),
  entry('container logs', 'Fetch the logs of a container', () => import('./logs.js'), true),
  entry('container list', 'List containers', () => import('./ps.js'), true),
  entry('container pause', 'Pause all processes within one or more containers', () => import('./pause.js'), true),
  entry('container port', 'List port mappings or a specific mapping for the container', () => import('./port.js'), true),
  entry('container rename', 'Rename a container', () => import('./rename.js'), true),
  entry('container restart', 'Restart one or more containers', () => import('./restart.js'), true),
  entry('container rm', 'Remove one or more containers', () => import('./rm.js'), true),
  entry('container run', 'Create and run a new container from an image', () => import('./run.js'), true),
  entry('container start', 'Start one or more stopped containers', () => import('./start.js'), true),
  entry('container stats', "Display a live stream of container(s) resource usage statistics", () => import('./stats.js'), true),
  entry('container stop', 'Stop one or more running containers', () => import('./stop.js'), true),
  entry('container top', 'Display the running processes of a container', () => import('./top.js'), true),
  entry('container unpause', 'Unpause all processes within one or more containers', () => import('./unpause.js'), true),
  entry('container wait', 'Block until one or more containers stop, then print their exit codes', () => import('./wait.js'), true),
  entry('system info', 'Display system-wide information', () => import('./info.js'), true),
  entry('system events', 'Get real time events from the server', () => import('./events.js'), true),
  entry('volume create', 'Create a volume', () => import('./volume-create.js'), true),
  entry('volume ls', 'List volumes', () => import('./volume-ls.js'), true),
  entry('volume list', 'List volumes', () => import('./volume-ls.js'), true),
  entry('volume inspect', 'Display detailed information on one or more volumes', () => import('./volume-inspect.js'), true),
  entry('volume rm', 'Remove one or more volumes', () => import('./volume-rm.js'), true),
  entry('volume prune', 'Remove unused local volumes', () => import('./volume-prune.js'), true),
  entry('system df', 'Show disk usage', () => import('./system-df.js'), true),
  entry('system prune', 'Remove unused data', () => import('./system-prune.js'), true),
  entry('system reset', 'Reset storage back to the initial state', () => import('./system-reset.js'), true),
  entry('info', 'Display system-wide information', () => import('./info.js')),
  entry('version', 'Show the vessel version information', () => import('./version.js')),
  entry('events', 'Get real time events from the server', () => import('./events.js')),
  entry('serve', 'Serve the Docker Engine API on a socket', () => import('./serve.js')),
];

/** The entry whose (possibly multi-word) name is the longest prefix of argv. */
export function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: { entry: CommandEntry; rest: string[] } | undefined;
  for (const e of commands) {
    const words = e.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.entry.name.split(' ').length)) {
      best = { entry: e, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export function groupMembers(group: string): CommandEntry[] {
  return commands.filter((e) => e.name.startsWith(`${group} `));
}
