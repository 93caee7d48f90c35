import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerRecord } from '../../../engine/config/types.js';
import type { Engine } from '../../../engine/engine.js';
import { liveState } from '../../../engine/lifecycle/status.js';
import { sampleStats, statsRow, type StatsSample } from '../../../engine/stats/sample.js';
import { defineCommand } from '../command.js';
import { binarySize } from '../output/binary-size.js';
import { humanSize } from '../output/human.js';
import { renderTable } from '../output/table.js';
import { formatItems } from '../output/template.js';
import { engineOf } from './container-context.js';

/** docker's stats row as templates see it: every field a display string. */
interface StatsLine {
  ID: string;
  Container: string;
  Name: string;
  CPUPerc: string;
  MemUsage: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}

const COLUMNS: [keyof StatsLine, string][] = [
  ['ID', 'CONTAINER ID'], ['Name', 'NAME'], ['CPUPerc', 'CPU %'], ['MemUsage', 'MEM USAGE / LIMIT'],
  ['MemPerc', 'MEM %'], ['NetIO', 'NET I/O'], ['BlockIO', 'BLOCK I/O'], ['PIDs', 'PIDS'],
];
const HEADERS = Object.fromEntries(COLUMNS) as Record<string, string>;
HEADERS.Container = 'CONTAINER';

/** Between the two samples of --no-stream, for a CPU % over a real interval. */
const CPU_INTERVAL_MS = 500;
const REFRESH_MS = 1000;

function line(now: StatsSample, before: StatsSample | undefined, noTrunc: boolean): StatsLine {
  const r = statsRow(now, before);
  const pct = (v: number) => `${v.toFixed(2)}%`;
  const dash = !now.running;
  return {
    ID: noTrunc ? now.id : r.ID,
    Container: noTrunc ? now.id : r.Container,
    Name: r.Name,
    CPUPerc: dash ? '--' : pct(r.CPUPerc),
    MemUsage: dash ? '-- / --' : `${binarySize(r.MemUsage)} / ${binarySize(r.MemLimit)}`,
    MemPerc: dash ? '--' : pct(r.MemPerc),
    NetIO: dash ? '--' : `${humanSize(r.NetInput)} / ${humanSize(r.NetOutput)}`,
    BlockIO: dash ? '--' : `${humanSize(r.BlockInput)} / ${humanSize(r.BlockOutput)}`,
    PIDs: dash ? '--' : String(r.PIDs),
  };
}

function targets(engine: Engine, refs: string[], all: boolean): ContainerRecord[] {
  if (refs.length) return refs.map((r) => engine.containers.resolve(r));
  return engine.containers.list().filter((c) => all || ['running', 'paused'].includes(liveState(engine, c).status));
}

export default defineCommand({
  usage: 'vessel stats [OPTIONS] [CONTAINER...]',
  description: 'Display a live stream of container(s) resource usage statistics',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Show all containers (default shows just running)' },
    format: { type: 'string', description: "Format output using a custom template: 'table', 'json' or a Go-style template", valueName: 'string' },
    'no-stream': { type: 'bool', description: 'Disable streaming stats and only pull the first result' },
    'no-trunc': { type: 'bool', description: "Don't truncate output" },
  },
  async run(inv) {
    const { flags, io } = inv;
    const engine = engineOf(inv);
    const table = (items: readonly StatsLine[]) => renderTable(COLUMNS.map((c) => c[1]), items.map((i) => COLUMNS.map((c) => i[c[0]])));
    const render = (lines: StatsLine[]) => formatItems(flags.format, lines, table, HEADERS);
    let previous = new Map<string, StatsSample>();
    const sampleAll = () => new Map(targets(engine, inv.args, flags.all).map((c) => [c.id, sampleStats(engine, c)] as const));
    if (flags['no-stream']) {
      previous = sampleAll();
      await sleep(CPU_INTERVAL_MS);
      const now = sampleAll();
      io.out.write(render([...now.values()].map((s) => line(s, previous.get(s.id), flags['no-trunc']))));
      return 0;
    }
    let stopped = false;
    const stop = () => void (stopped = true);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      while (!stopped) {
        const now = sampleAll();
        const text = render([...now.values()].map((s) => line(s, previous.get(s.id), flags['no-trunc'])));
        // on a terminal the table is redrawn in place, otherwise each refresh is appended
        io.out.write(io.out.isTTY ? `\x1b[2J\x1b[H${text}` : text);
        previous = now;
        await sleep(REFRESH_MS);
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return 0;
  },
});
