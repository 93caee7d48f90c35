import { liveState, type LiveState } from '../../../engine/lifecycle/status.js';
import type { ContainerRecord } from '../../../engine/config/types.js';
import { defineCommand } from '../command.js';
import { containerFacts, containerLookups } from '../../../engine/filters/container-facts.js';
import { CONTAINER_FILTERS, containerFilter } from '../../../engine/filters/containers.js';
import { filterFlags } from '../filter-flags.js';
import { ago, humanDuration } from '../output/human.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';
import { goMethod } from '../output/template/index.js';
import { engineOf } from './container-context.js';

interface PsRow {
  ID: string;
  Image: string;
  Command: string;
  CreatedAt: string;
  RunningFor: string;
  Status: string;
  State: string;
  Ports: string;
  Names: string;
  Labels: string;
  Size: string;
  /** `{{.Label "key"}}`, a method as in docker's ContainerContext */
  Label: (name: unknown) => string;
}

function statusText(state: string, exitCode: number, startedAt: string | null, finishedAt: string | null): string {
  const since = (t: string | null) => (t ? (Date.now() - Date.parse(t)) / 1000 : 0);
  const table: Record<string, () => string> = {
    created: () => 'Created',
    running: () => `Up ${humanDuration(since(startedAt))}`,
    paused: () => `Up ${humanDuration(since(startedAt))} (Paused)`,
    restarting: () => `Restarting (${exitCode}) ${ago(Date.parse(finishedAt ?? '') / 1000)}`,
    exited: () => `Exited (${exitCode}) ${ago(Date.parse(finishedAt ?? new Date().toISOString()) / 1000)}`,
    removing: () => 'Removal In Progress',
    dead: () => 'Dead',
  };
  return (table[state] ?? (() => state))();
}

function row(c: ContainerRecord, live: LiveState, noTrunc: boolean): PsRow {
  const cmd = [...(c.config.Entrypoint ?? []), ...(c.config.Cmd ?? [])].join(' ');
  return {
    ID: noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.image,
    Command: JSON.stringify(noTrunc || cmd.length <= 20 ? cmd : `${cmd.slice(0, 19)}…`),
    CreatedAt: c.createdAt,
    RunningFor: ago(Date.parse(c.createdAt) / 1000),
    Status: statusText(live.status, live.exitCode, c.startedAt, live.finishedAt),
    State: live.status,
    Ports: '',
    Names: c.name,
    Labels: Object.entries(c.config.Labels).map(([k, v]) => `${k}=${v}`).join(','),
    Size: '0B',
    Label: goMethod((name: unknown) => c.config.Labels[String(name)] ?? ''),
  };
}

export default defineCommand({
  usage: 'vessel ps [OPTIONS]',
  description: 'List containers',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Show all containers (default shows just running)' },
    filter: { type: 'strings', short: 'f', description: `Filter output based on conditions provided (${CONTAINER_FILTERS.join(', ')})`, valueName: 'filter' },
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    last: { type: 'int', short: 'n', description: 'Show n last created containers (includes all states)', valueName: 'int', default: -1 },
    latest: { type: 'bool', short: 'l', description: 'Show the latest created container (includes all states)' },
    'no-trunc': { type: 'bool', description: "Don't truncate output" },
    quiet: { type: 'bool', short: 'q', description: 'Only display container IDs' },
    size: { type: 'bool', short: 's', description: 'Display total file sizes' },
  },
  args: { max: 0 },
  run(inv) {
    const { flags, io } = inv;
    const engine = engineOf(inv);
    const filter = containerFilter(filterFlags(flags.filter), containerLookups(engine));
    let list = engine.containers.list();
    const last = flags.latest ? 1 : flags.last ?? -1;
    const all = flags.all || last > 0 || filter.includesStopped;
    let rows = list.map((c) => {
      const live = liveState(engine, c);
      return { c, live, r: row(c, live, flags['no-trunc']) };
    });
    rows = rows.filter(({ c, r, live }) => (all || r.State === 'running' || r.State === 'paused' || r.State === 'restarting') && filter.matches(containerFacts(c, live)));
    if (last > 0) rows = rows.slice(0, last);
    list = rows.map((x) => x.c);
    const items = rows.map((x) => x.r);
    if (flags.quiet) {
      io.out.write(items.map((i) => `${i.ID}\n`).join(''));
      return;
    }
    const cols: [Exclude<keyof PsRow, 'Label'>, string][] = [['ID', 'CONTAINER ID'], ['Image', 'IMAGE'], ['Command', 'COMMAND'], ['RunningFor', 'CREATED'], ['Status', 'STATUS'], ['Ports', 'PORTS'], ['Names', 'NAMES']];
    if (flags.size) cols.push(['Size', 'SIZE']);
    io.out.write(formatItems(flags.format, items, (its) => renderTable(cols.map((c) => c[1]), its.map((i) => cols.map((c) => i[c[0]]))), { ID: 'CONTAINER ID', RunningFor: 'CREATED' }, { rowType: '*formatter.ContainerContext' }));
  },
});
