import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: {},
  args: { min: 2, max: 2 },
  async run({ args, vessel }) {
    await vessel().images.tag(args[0]!, args[1]!);
  },
});
