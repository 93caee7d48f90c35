// Human-readable sizes and ages the way docker (go-units) prints them.
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 4.26MB, 1.23kB, 512B (decimal units, 3 significant digits). */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(precision))}${UNITS[unit]}`;
}

/** "About a minute", "3 hours", "2 weeks" */
export function humanDuration(seconds: number): string {
  const table: [number, (s: number) => string][] = [
    [1, () => 'Less than a second'],
    [2, () => '1 second'],
    [60, (s) => `${Math.floor(s)} seconds`],
    [120, () => 'About a minute'],
    [3600, (s) => `${Math.floor(s / 60)} minutes`],
    [7200, () => 'About an hour'],
    [48 * 3600, (s) => `${Math.floor(s / 3600)} hours`],
    [7 * 24 * 3600 * 2, (s) => `${Math.floor(s / 86400)} days`],
    [30 * 24 * 3600 * 2, (s) => `${Math.floor(s / (7 * 86400))} weeks`],
    [365 * 24 * 3600 * 2, (s) => `${Math.floor(s / (30 * 86400))} months`],
  ];
  for (const [limit, f] of table) if (seconds < limit) return f(seconds);
  return `${Math.floor(seconds / (365 * 86400))} years`;
}

export function ago(unixSeconds: number, now = Date.now() / 1000): string {
  return `${humanDuration(Math.max(0, now - unixSeconds))} ago`;
}
