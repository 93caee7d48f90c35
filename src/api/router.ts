// One route table for the whole API: method + path pattern -> handler. `{name}` matches one path
// segment, `{name*}` the rest of the path (image names contain slashes, as in moby's `{name:.*}`).
import type { RequestContext } from './context.js';

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/[.+?^$()[\]\\|]/g, '\\$&').replace(/\{(\w+)(\*?)\}/g, (_, name: string, rest: string) => {
    names.push(name);
    return rest ? '(.+)' : '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(routes: Route[]): this {
    this.routes.push(...routes.map(compile));
    return this;
  }

  /** The handler for a request; `undefined` when no route has the path, 'method' when only the method is wrong. */
  match(method: string, path: string): RouteMatch | 'method' | undefined {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      // HEAD is answered by the GET route where there is no HEAD route of its own
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET' && !this.hasMethod('HEAD', path))) {
        pathKnown = true;
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { handler: r.handler, params };
    }
    return pathKnown ? 'method' : undefined;
  }

  private hasMethod(method: string, path: string): boolean {
    return this.routes.some((r) => r.method === method && r.regex.test(path));
  }
}
