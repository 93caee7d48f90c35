// Sizes in binary units the way docker (go-units BytesSize) prints memory: 1.5MiB, 23.45GiB.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function binarySize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${Number(size.toFixed(unit === 0 ? 0 : 2)).toString()}${UNITS[unit]}`;
}
