import { approve, getApproval, listApprovals, reject, revoke } from '../../push/approvals';
import { presentedHostKey, sshConnector } from '../../push/connector';
import { abandonRun, continuePush, pushStatus, rollbackHost, startPush } from '../../push/engine';
import { prepareResume } from '../../push/resume';
import { assertCanRollBack } from '../../push/rollback-rules';
import { listRuns } from '../../push/runs';
import {
  addCredential,
  addHost,
  getHost,
  hostsFromAssets,
  importKnownHosts,
  listCredentials,
  listHosts,
  pinHostKey,
  setGroup,
  setHost,
} from '../../push/hosts';
import type { Handlers } from '../router';

export const hostsHandlers: Handlers['hosts'] = {
  list: (_input, { vault }) => listHosts(vault.session().db),
  add: (input, { vault }) => {
    const session = vault.session();
    return getHost(session.db, addHost(session, input));
  },
  set: ({ id, ...changes }, { vault }) => {
    const session = vault.session();
    setHost(session, id, changes);
    return getHost(session.db, id);
  },
  setGroup: ({ group, ...changes }, { vault }) => {
    const session = vault.session();
    const ids = setGroup(session, group, changes);
    return listHosts(session.db).filter((h) => ids.includes(h.id));
  },
  fromAssets: ({ assetIds, ...defaults }, { vault }) => {
    const session = vault.session();
    const ids = hostsFromAssets(session, assetIds, defaults);
    return listHosts(session.db).filter((h) => ids.includes(h.id));
  },
  addCredential: (input, { vault }) => ({ id: addCredential(vault.session(), input) }),
  fetchHostKey: async ({ id }, { vault }) => {
    const session = vault.session();
    return presentedHostKey(session.db, getHost(session.db, id));
  },
  pin: ({ id, algorithm, fingerprint, publicKey }, { vault }) => {
    const session = vault.session();
    pinHostKey(session, id, { algorithm, fingerprint, publicKey }, 'operator');
    return getHost(session.db, id);
  },
  importKnownHosts: ({ text }, { vault }) => importKnownHosts(vault.session(), text),
  credentials: (_input, { vault }) => listCredentials(vault.session().db),
};

export const approvalsHandlers: Handlers['approvals'] = {
  list: (_input, { vault }) => listApprovals(vault.session().db),
  get: ({ id }, { vault }) => getApproval(vault.session().db, id),
  approve: (input, { vault }) => {
    const session = vault.session();
    return getApproval(session.db, approve(session, input));
  },
  reject: ({ draftVersionId, comment }, { vault }) => {
    reject(vault.session(), draftVersionId, comment);
    return { rejected: true as const };
  },
  revoke: ({ id, reason }, { vault }) => {
    const session = vault.session();
    revoke(session, id, reason);
    return getApproval(session.db, id);
  },
};

export const pushHandlers: Handlers['push'] = {
  run: ({ approvalId, dryRun, concurrency }, { vault, jobs, events }) => {
    const session = vault.session();
    const { jobId, done } = jobs.start(
      'push.run',
      (controls) =>
        startPush(
          session,
          approvalId,
          { ...(dryRun ? { dryRun } : {}), ...(concurrency ? { concurrency } : {}) },
          sshConnector(session.db),
          controls,
          (update) => events.emit('pushUpdate', update),
        ),
      (result) => result.runId,
    );
    done.catch(() => undefined);
    return { jobId };
  },
  status: ({ runId }, { vault }) => pushStatus(vault.session().db, runId),
  list: (_input, { vault }) => listRuns(vault.session().db),
  resume: ({ runId }, { vault, jobs, events }) => {
    const session = vault.session();
    prepareResume(session, runId);
    const { jobId, done } = jobs.start(
      'push.resume',
      (controls) =>
        continuePush(session, runId, sshConnector(session.db), controls, (update) =>
          events.emit('pushUpdate', update),
        ),
      (result) => result.runId,
    );
    done.catch(() => undefined);
    return { jobId };
  },
  abandon: ({ runId, reason }, { vault }) => {
    const session = vault.session();
    abandonRun(session, runId, reason);
    return pushStatus(session.db, runId);
  },
  rollbackHost: ({ runId, hostId }, { vault, jobs, events }) => {
    const session = vault.session();
    // Refused before the job starts, so the screen gets the reason as the call's error.
    session.requireRole('admin', 'approver');
    assertCanRollBack(session.db, runId, hostId);
    const { jobId, done } = jobs.start(
      'push.rollback',
      (controls) =>
        rollbackHost(session, runId, hostId, sshConnector(session.db), controls.signal, (update) =>
          events.emit('pushUpdate', update),
        ).then(() => runId),
      (id) => id,
    );
    done.catch(() => undefined);
    return { jobId };
  },
};
