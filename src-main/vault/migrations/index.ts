/**
 * Every migration, statically imported (a bundled app has no migrations folder to scan).
 * Append new ones; never edit or reorder published ones.
 */
import { migration001 } from './001-initial';
import { migration002 } from './002-backups';
import { migration003 } from './003-import-tracking';
import { migration004 } from './004-feeds';
import { migration005 } from './005-triage';
import { migration006 } from './006-drafts';
import { migration007 } from './007-push';
import { migration008 } from './008-finding-kinds';
import { migration009 } from './009-dashboard-indexes';
import { migration010 } from './010-finding-cells';
import { migration011 } from './011-patch-drafts';
import { migration012 } from './012-sarif-fingerprint-identity';
import { migration013 } from './013-viewer-role';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
];
export const LATEST_VERSION = MIGRATIONS.length;
