// How Go sees the JSON-shaped data a template runs on: undefined is an invalid value (printed
// `<no value>`), null a nil interface, integral numbers `int`, other numbers (and GoFloat, for
// float literals like `3.0`) `float64`, arrays `[]interface {}`, objects `map[string]interface {}`,
// functions methods. Go's kinds drive printing, comparison and truth.

/** A float64 whose value happens to be integral (a literal like `1e3` or `3.0`). */
export class GoFloat {
  constructor(readonly value: number) {}
}

const METHOD = Symbol('go method');

/**
 * Marks a function in the data as a Go method: `.Name arg...` calls it. Other functions are
 * values (a Go func field), called only through `call`.
 */
export function goMethod<F extends (...args: never[]) => unknown>(f: F): F {
  return Object.assign(f, { [METHOD]: true });
}

export function isMethod(v: unknown): v is (...args: unknown[]) => unknown {
  return typeof v === 'function' && (v as unknown as Record<symbol, unknown>)[METHOD] === true;
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'func';

export function kindOf(v: unknown): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
  }
  if (v instanceof GoFloat) return 'float';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

export function typeName(v: unknown): string {
  const names: Record<Kind, string> = {
    invalid: '<invalid reflect.Value>',
    nil: 'interface {}',
    bool: 'bool',
    int: 'int',
    float: 'float64',
    string: 'string',
    slice: '[]interface {}',
    map: 'map[string]interface {}',
    func: 'func',
  };
  return names[kindOf(v)];
}

export function numberOf(v: unknown): number {
  return v instanceof GoFloat ? v.value : Number(v);
}

/** Go's truth: false, 0, nil, empty strings, slices and maps are false; invalid is false. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return numberOf(v) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return Object.keys(v as object).length > 0;
    case 'func':
      return true;
  }
}

/** Map keys in Go's iteration order for printing and range: sorted. */
export function sortedKeys(m: object): string[] {
  return Object.keys(m).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
}
