import type { Migration } from './types';

/**
 * Patch drafts: a draft is host scripts (`script`, pushed over SSH) or a unified diff to a
 * dependency manifest (`patch`, exported for review and applied by the project's own
 * process). A patch version keeps its manifest, diff and bumps as JSON in `patch`; its
 * script columns stay empty.
 */
export const migration011: Migration = {
  version: 11,
  name: 'patch drafts',
  up: (db) => {
    db.exec(`
      ALTER TABLE drafts ADD COLUMN kind TEXT NOT NULL DEFAULT 'script' CHECK (kind IN ('script', 'patch'));
      ALTER TABLE draft_versions ADD COLUMN patch TEXT;
    `);
  },
};
