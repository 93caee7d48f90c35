// Opening an SQLite database with better-sqlite3. Its JavaScript is bundled into the CLIs (and so
// into their code cache); only the compiled addon is loaded from node_modules, by its path: the
// package's own lookup (the `bindings` module) probes a dozen directories, and start-up time is a
// target.
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let addonPath: string | undefined;

function nativeBinding(): string {
  addonPath ??= join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  return addonPath;
}

export function openSqlite(path: string, options: Database.Options = {}): Database.Database {
  return new Database(path, { ...options, nativeBinding: nativeBinding() });
}
