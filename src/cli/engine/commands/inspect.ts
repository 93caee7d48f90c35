// `inspect`: containers, images, networks and volumes by name or id, in docker's order of lookup
// (container, image, volume, network) unless --type narrows it.
import type { Vessel } from '../../../engine/vessel.js';
import { isVesselError } from '../../../vessel-error.js';
import { defineCommand, UsageError } from '../command.js';
import { compileTemplate } from '../output/template.js';

const KINDS = ['container', 'image', 'volume', 'network'] as const;
type Kind = (typeof KINDS)[number];

const LOOKUP: Record<Kind, (v: Vessel, ref: string) => unknown> = {
  container: (v, ref) => v.containers.inspect(ref),
  image: (v, ref) => v.images.inspect(ref),
  volume: (v, ref) => v.volumes.inspect(ref),
  network: (v, ref) => v.networks.inspect(ref),
};

/** The first kind that has `ref`; only "not found" moves on to the next kind. */
async function find(vessel: Vessel, ref: string, kinds: readonly Kind[]): Promise<unknown> {
  for (const kind of kinds) {
    try {
      return await LOOKUP[kind](vessel, ref);
    } catch (err) {
      if (!(isVesselError(err) && err.status === 'notFound')) throw err;
    }
  }
  return undefined;
}

export default defineCommand({
  usage: 'vessel inspect [OPTIONS] NAME|ID [NAME|ID...]',
  description: 'Return low-level information on containers, images, volumes or networks',
  flags: {
    format: { type: 'string', short: 'f', description: 'Format output using a Go-style template', valueName: 'string' },
    size: { type: 'bool', short: 's', description: 'Display total file sizes' },
    type: { type: 'string', description: 'Only inspect objects of the given type (container, image, volume, network)', valueName: 'string' },
  },
  args: { min: 1 },
  async run(inv) {
    const wanted = inv.flags.type;
    if (wanted !== undefined && !(KINDS as readonly string[]).includes(wanted)) throw new UsageError(`"${wanted}" is not a valid value for --type`);
    const kinds = wanted ? [wanted as Kind] : KINDS;
    const views: unknown[] = [];
    let code = 0;
    for (const ref of inv.args) {
      const view = await find(inv.vessel(), ref, kinds);
      if (view === undefined) {
        inv.io.err.write(`Error: No such ${wanted ?? 'object'}: ${ref}\n`);
        code = 1;
      } else views.push(view);
    }
    if (inv.flags.format && inv.flags.format !== 'json') {
      const t = compileTemplate(inv.flags.format);
      for (const v of views) inv.io.out.write(`${t.render(v)}\n`);
    } else inv.io.out.write(`${JSON.stringify(views, null, 4)}\n`);
    return code;
  },
});
