// Entry point of the resolver process: `node main.js DB_PATH`. Started detached by control.ts;
// it exits by itself when no container is left on a user-defined network.
import Database from 'better-sqlite3';
import { controlName } from './control.js';
import { Resolver } from './resolver.js';

const dbPath = process.argv[2];
if (!dbPath) {
  process.stderr.write('usage: vessel-dns DB_PATH\n');
  process.exit(2);
}
const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
const resolver = new Resolver({
  db,
  dbPath,
  controlName: controlName(dbPath),
  onExit: () => {
    db.close();
    process.exit(0);
  },
});
process.on('SIGTERM', () => resolver.stop());
void resolver.start().then((started) => {
  if (started) return;
  // another resolver serves this database already
  db.close();
  process.exit(0);
});
