import { removeCredentials } from '../../../image/registry/credentials.js';
import { storePaths } from '../../../image/store/paths.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel logout [SERVER]',
  description: 'Log out from a registry',
  flags: {},
  args: { max: 1 },
  run({ args, io, root }) {
    const server = (args[0] ?? 'docker.io').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const removed = removeCredentials(storePaths(root).authFile, server);
    io.out.write(removed ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
  },
});
