// Go's path.Match patterns (docker's `reference=` filter): `*` and `?` stop at `/`, `[...]`
// classes with ranges and `^` negation, `\` escapes.

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error(`syntax error in pattern: ${pattern}`);
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function globMatch(pattern: string, name: string): boolean {
  try {
    return globToRegExp(pattern).test(name);
  } catch {
    return false;
  }
}
