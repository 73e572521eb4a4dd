import type { Handlers } from '../router';
import { checkExternalUrl } from '../../core/links';

export const appHandlers: Handlers['app'] = {
  version: (_input, ctx) => ({
    name: 'VulnZero',
    version: ctx.runtime.appVersion,
    node: process.versions.node,
    electron: ctx.runtime.electronVersion,
    transport: ctx.runtime.transport,
  }),

  health: (_input, ctx) => ({
    status: 'ok',
    uptimeMs: Date.now() - ctx.runtime.startedAt,
    vault: ctx.vault.state(),
    runningJobs: ctx.jobs.runningCount(),
  }),

  openExternal: async ({ url }, ctx) => {
    const verdict = checkExternalUrl(url);
    if (!verdict.allowed) return { opened: false, reason: verdict.reason };
    if (!ctx.runtime.openExternal)
      return {
        opened: false,
        reason: 'Opening links needs the desktop app; copy the URL instead.',
      };
    await ctx.runtime.openExternal(verdict.url);
    ctx.logger.log('info', 'opened external link', { host: new URL(verdict.url).hostname });
    return { opened: true };
  },
};
