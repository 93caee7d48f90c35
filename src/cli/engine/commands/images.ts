import type { ImageSummary } from '../../../engine/api-types.js';
import { familiarRepository, parseReference } from '../../../engine/references.js';
import { defineCommand, UsageError } from '../command.js';
import { ago, humanSize } from '../output/human.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';

/** One row of `vessel images`: docker's field names, usable in --format templates. */
interface ImageRow {
  Repository: string;
  Tag: string;
  Digest: string;
  ID: string;
  CreatedSince: string;
  CreatedAt: string;
  Size: string;
  Containers: string;
}

function rows(images: ImageSummary[], noTrunc: boolean): ImageRow[] {
  return images.flatMap((img) => {
    const base = {
      ID: noTrunc ? img.Id : img.Id.slice(7, 19),
      CreatedSince: ago(img.Created),
      CreatedAt: new Date(img.Created * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC'),
      Size: humanSize(img.Size),
      Containers: 'N/A',
    };
    const digestFor = (repo: string): string => img.RepoDigests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
    if (img.RepoTags.length === 0) {
      const first = img.RepoDigests[0];
      return [{ Repository: first ? first.split('@')[0]! : '<none>', Tag: '<none>', Digest: first ? first.split('@')[1]! : '<none>', ...base }];
    }
    return img.RepoTags.map((t) => {
      const ref = parseReference(t);
      const repo = familiarRepository(ref);
      return { Repository: repo, Tag: ref.tag ?? '<none>', Digest: digestFor(repo), ...base };
    });
  });
}

const HEADERS: Record<string, string> = { ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', Size: 'SIZE' };

export default defineCommand({
  usage: 'vessel images [OPTIONS] [REPOSITORY[:TAG]]',
  description: 'List images',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Show all images (default hides intermediate images)' },
    digests: { type: 'bool', description: 'Show digests' },
    filter: { type: 'strings', short: 'f', description: 'Filter output based on conditions provided (dangling=true|false, reference=PATTERN)', valueName: 'filter' },
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    'no-trunc': { type: 'bool', description: "Don't truncate output" },
    quiet: { type: 'bool', short: 'q', description: 'Only show image IDs' },
  },
  args: { max: 1 },
  async run({ args, flags, io, vessel }) {
    let dangling: boolean | undefined;
    let reference = args[0];
    for (const f of flags.filter) {
      const [k, v] = f.split('=', 2) as [string, string | undefined];
      if (k === 'dangling' && (v === 'true' || v === 'false')) dangling = v === 'true';
      else if (k === 'reference' && v) reference = v;
      else throw new UsageError(`invalid filter '${f}'`);
    }
    const images = await vessel().images.list({ ...(reference ? { reference } : {}), ...(dangling !== undefined ? { dangling } : {}) });
    if (flags.quiet) {
      const ids = [...new Set(images.map((i) => (flags['no-trunc'] ? i.Id : i.Id.slice(7, 19))))];
      io.out.write(ids.map((i) => `${i}\n`).join(''));
      return;
    }
    const table = (items: readonly ImageRow[]): string => {
      const cols: (keyof ImageRow)[] = flags.digests ? ['Repository', 'Tag', 'Digest', 'ID', 'CreatedSince', 'Size'] : ['Repository', 'Tag', 'ID', 'CreatedSince', 'Size'];
      return renderTable(cols.map((c) => HEADERS[c]!), items.map((r) => cols.map((c) => r[c])));
    };
    io.out.write(formatItems(flags.format, rows(images, flags['no-trunc']), table, HEADERS));
  },
});
