// docker's filter times (`until=`, events' --since): a Go duration before now (`10m`, `1h30m`),
// unix seconds (`1700000000.5`) or a date (`2024-01-02`, `2024-01-02T15:04:05Z`).

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds since the epoch, or undefined if the value is none of docker's forms. */
export function parseFilterTime(value: string, nowMs: number): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const duration = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(value);
  if (duration) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNITS[m[2]!]!;
    return nowMs - ms;
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
