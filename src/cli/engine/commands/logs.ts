import { defineCommand, UsageError } from '../command.js';

/** docker's --since/--until: RFC 3339, a unix timestamp, or a duration before now (10m, 1h30m). */
function parseTime(value: string): Date | string {
  if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const d = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (d && value) return new Date(Date.now() - ((Number(d[1] ?? 0) * 60 + Number(d[2] ?? 0)) * 60 + Number(d[3] ?? 0)) * 1000);
  if (!Number.isNaN(Date.parse(value))) return value.includes('T') && /Z|[+-]\d\d:\d\d$/.test(value) ? value : new Date(value);
  throw new UsageError(`invalid time "${value}"`);
}

export default defineCommand({
  usage: 'vessel logs [OPTIONS] CONTAINER',
  description: 'Fetch the logs of a container',
  flags: {
    follow: { type: 'bool', short: 'f', description: 'Follow log output' },
    since: { type: 'string', description: 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)', valueName: 'string' },
    tail: { type: 'string', short: 'n', description: 'Number of lines to show from the end of the logs', valueName: 'string', default: 'all' },
    timestamps: { type: 'bool', short: 't', description: 'Show timestamps' },
    until: { type: 'string', description: 'Show logs before a timestamp or relative', valueName: 'string' },
  },
  args: { min: 1, max: 1 },
  async run(inv) {
    const { flags, io } = inv;
    const entries = inv.vessel().containers.logs(inv.args[0]!, {
      follow: flags.follow,
      ...(flags.tail !== 'all' && flags.tail !== undefined ? { tail: Number(flags.tail) } : {}),
      ...(flags.since ? { since: parseTime(flags.since) } : {}),
      ...(flags.until ? { until: parseTime(flags.until) } : {}),
      timestamps: flags.timestamps,
    });
    for await (const e of entries) (e.stream === 'stdout' ? io.out : io.err).write(e.line);
  },
});
