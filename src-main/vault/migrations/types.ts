import type { Db } from '../sqlcipher';

/**
 * A forward-only schema step. Migrations work on the raw connection with plain SQL so
 * they stay frozen in time, independent of today's TypeScript types.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
