import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';
import type { Db } from './sqlcipher';

/** kysely over an already keyed better-sqlite3 connection. */
export function kyselyFor(db: Db): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
}
