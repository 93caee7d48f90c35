// docker's size syntax (go-units RAMInBytes), shared by `vessel run -m` and `vessel-runtime update`:
// a number with an optional binary unit, `512m`, `1.5g`, `1kb`, `2 GiB`, `1048576`; -1 is unlimited.

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** The size in bytes (fractions truncated, as docker does), or null when `text` is not a size. */
export function parseByteSize(text: string): number | null {
  if (text.trim() === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(text.trim());
  if (!m) return null;
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}
