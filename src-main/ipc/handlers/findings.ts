import { listFindings } from '../../findings/list';
import { findingDetailOf } from '../../triage/detail';
import { findingsPage } from '../../triage/page';
import { deleteView, listViews, saveView } from '../../triage/views';
import type { Handlers } from '../router';
import { writeInWorker } from './writer-job';

export const findingsHandlers: Handlers['findings'] = {
  list: (input, { vault }) => listFindings(vault.session().db, input),
  page: (input, { vault }) => findingsPage(vault.session().db, input),
  // A broad filter reads every matching finding: off the main thread, in the reader.
  count: async ({ filter }, { vault }) => ({
    total: await vault.session().reader().read('count', { filter, now: new Date().toISOString() }),
  }),
  groups: ({ filter, by, limit }, { vault }) =>
    vault.session().reader().read('groups', { filter, by, limit, now: new Date().toISOString() }),
  detail: ({ id }, { vault }) => findingDetailOf(vault.session().db, id),
  decide: async (input, { vault, jobs }) => {
    const { updated, skipped } = await writeInWorker(jobs, vault.session(), 'findings.decide', {
      input,
      now: new Date().toISOString(),
    });
    return { updated, skipped };
  },
  facets: (_input, { vault }) => {
    const db = vault.session().db;
    return {
      scanners: db
        .prepare('SELECT DISTINCT scanner FROM scans ORDER BY scanner')
        .pluck()
        .all() as string[],
      tags: db
        .prepare('SELECT DISTINCT tag FROM finding_tags ORDER BY tag')
        .pluck()
        .all() as string[],
      owners: db
        .prepare('SELECT DISTINCT owner FROM findings WHERE owner IS NOT NULL ORDER BY owner')
        .pluck()
        .all() as string[],
    };
  },
  views: (_input, { vault }) => listViews(vault.session()),
  saveView: (view, { vault }) => saveView(vault.session(), view),
  deleteView: ({ name }, { vault }) => deleteView(vault.session(), name),
};
