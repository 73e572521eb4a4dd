import { dashboardSummary } from '../../triage/dashboard-cache';
import type { Handlers } from '../router';

export const dashboardHandlers: Handlers['dashboard'] = {
  summary: (_input, { vault }) => dashboardSummary(vault.session()),
};
