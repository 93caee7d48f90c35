import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel logout [SERVER]',
  description: 'Log out from a registry',
  flags: {},
  args: { max: 1 },
  async run({ args, io, vessel }) {
    const server = (args[0] ?? 'docker.io').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const removed = await vessel().images.logout(server);
    io.out.write(removed ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
  },
});
