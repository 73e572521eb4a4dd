/**
 * Saved views of the findings table (filter, sort, columns, grouping), stored in the
 * vault setting `triage.views`, shared by every operator of the vault.
 */
import { z } from 'zod';
import { savedView, type SavedView } from '../../src-preload/triage-schemas';
import { VzError } from '../core/errors';
import { readSetting, writeSetting } from '../vault/settings';
import type { VaultSession } from '../vault/session';

const VIEWS_SETTING = 'triage.views';
export const MAX_VIEWS = 50;

export function listViews(session: VaultSession): SavedView[] {
  const parsed = z.array(savedView).safeParse(readSetting<unknown>(session.db, VIEWS_SETTING, []));
  return parsed.success ? parsed.data : [];
}

function store(
  session: VaultSession,
  views: SavedView[],
  action: string,
  name: string,
): SavedView[] {
  session.transact((db) => writeSetting(db, VIEWS_SETTING, views), {
    action,
    objectType: 'view',
    objectId: name,
  });
  return views;
}

export function saveView(session: VaultSession, view: SavedView): SavedView[] {
  session.requireRole('admin', 'approver', 'analyst');
  const others = listViews(session).filter((v) => v.name !== view.name);
  if (others.length >= MAX_VIEWS)
    throw new VzError('INVALID_INPUT', `At most ${MAX_VIEWS} saved views; delete one first.`);
  return store(
    session,
    [...others, view].sort((a, b) => a.name.localeCompare(b.name)),
    'views.save',
    view.name,
  );
}

export function deleteView(session: VaultSession, name: string): SavedView[] {
  session.requireRole('admin', 'approver', 'analyst');
  const views = listViews(session);
  if (!views.some((v) => v.name === name))
    throw new VzError('NOT_FOUND', `No saved view "${name}".`);
  return store(
    session,
    views.filter((v) => v.name !== name),
    'views.delete',
    name,
  );
}
