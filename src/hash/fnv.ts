// FNV-1a, 64 bits: a fast non-cryptographic hash for names and cache keys derived from text we
// control (interface names, cache entries). Using it instead of sha256 spares the commands that
// only need such a name from loading node:crypto, which costs milliseconds at start-up. Never use
// it where an adversary chooses the input and a collision would matter.

/** 64 bits of FNV-1a over the UTF-16 code units of `text` (every `stride`th one), as 16 hex digits. */
export function fnv1a64(text: string, stride = 1): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i += stride) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // (hi, lo) * 0x100000001b3 mod 2^64: the prime is 2^40 + 0x1b3
    const l = lo * 0x1b3;
    const carry = Math.floor(l / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = l >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
