// docker's `json` template function: encoding/json with HTML escaping off. Objects that stand for
// Go structs keep their field order; objects that stand for Go maps (any key that is not an
// exported Go identifier, like labels or ports) are written with sorted keys, as Go writes maps.
import { GoFloat, sortedKeys } from './values.js';

/** Whether a JSON object looks like one of docker's Go structs rather than a map. */
export function looksLikeStruct(m: object): boolean {
  const keys = Object.keys(m);
  return keys.length > 0 && keys.every((k) => /^[A-Z][A-Za-z0-9_]*$/.test(k));
}

export function toJson(v: unknown): string {
  return JSON.stringify(normalize(v)).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function normalize(v: unknown): unknown {
  if (v === undefined || typeof v === 'function') return null;
  if (v instanceof GoFloat) return v.value;
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const m = v as Record<string, unknown>;
    const keys = looksLikeStruct(m) ? Object.keys(m) : sortedKeys(m);
    return Object.fromEntries(keys.filter((k) => typeof m[k] !== 'function').map((k) => [k, normalize(m[k])]));
  }
  return v;
}
