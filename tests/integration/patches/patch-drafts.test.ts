/**
 * Patch drafts end to end on real dependency reports (OSV-Scanner, npm audit) through the
 * router and the CLI: a manifest patch that `git apply` accepts, lint and policy like a
 * script draft, approval by hash with no hosts, export to a file, never a push; a changed
 * stored patch voids the export, and a downgrade is blocked by policy.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../../src-preload/contract';
import { editDraft } from '../../../src-main/drafts/store';
import { cli } from '../../helpers/cli';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS, tempDir } from '../../helpers/vault';

const core = testCore();
const dir = tempDir('vz-patches-');
type Detail = Output<'drafts.get'>;

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = await core.router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function callError(
  channel: string,
  input?: unknown,
): Promise<{ code: string; message: string }> {
  const result = await core.router.call(channel, input);
  if (result.ok) throw new Error(`${channel} succeeded`);
  return result.error;
}

const db = () => core.ctx.vault.session().db;

/** The id of the first open finding of a component on an asset named like `asset`. */
function findingOf(asset: string, component: string): number {
  return db()
    .prepare(
      `SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id
       WHERE a.display_name LIKE ? AND f.component_name = ? ORDER BY f.id LIMIT 1`,
    )
    .pluck()
    .get(`%${asset}%`, component) as number;
}

const REQUIREMENTS =
  'Django==3.2.4\nrequests>=2.25.1  # http client\nselenium==3.141.0\nflask==2.0.1\n';
const PACKAGE_JSON = `{
  "name": "front",
  "devDependencies": {
    "karma": "^4.2.0",
    "typescript": "~3.5.3"
  }
}
`;

/** A checkout holding the manifest, to apply an exported patch with git as a developer would. */
function checkout(file: string, text: string): string {
  const repo = tempDir('vz-repo-');
  mkdirSync(join(repo, file, '..'), { recursive: true });
  writeFileSync(join(repo, file), text);
  return repo;
}

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  const done = await runJob(core, 'import.start', {
    paths: [
      fixture('osv_scanner', 'many_findings.json'),
      fixture('npm_audit', 'multiple_cwes.json'),
    ],
  });
  expect(done.state).toBe('done');
  writeFileSync(join(dir, 'requirements.txt'), REQUIREMENTS);
  writeFileSync(join(dir, 'package.json'), PACKAGE_JSON);
}, 60_000);

describe('a patch draft from an OSV-Scanner report and the project requirements.txt', () => {
  let draft: Detail;

  it('bumps each pinned dependency to the highest fixed version of its open findings', async () => {
    const django = findingOf('rengine/web', 'django');
    draft = await call<Detail>('drafts.createPatch', {
      findingId: django,
      manifestPath: join(dir, 'requirements.txt'),
      repoPath: 'web/requirements.txt',
    });
    expect(draft).toMatchObject({ kind: 'patch', state: 'draft', latestVersion: 1 });
    const v = draft.versions[0];
    expect(v?.content).toBeNull();
    expect(v?.patch?.bumps).toEqual([
      { name: 'Django', from: '==3.2.4', to: '==3.2.24', line: 1 },
      { name: 'requests', from: '>=2.25.1', to: '>=2.31.0', line: 2 },
      { name: 'selenium', from: '==3.141.0', to: '==4.14.0', line: 3 },
    ]);
    expect(v?.patch?.diff.split('\n').slice(0, 3)).toEqual([
      '--- a/web/requirements.txt',
      '+++ b/web/requirements.txt',
      '@@ -1,4 +1,4 @@',
    ]);
    // The draft fixes every open finding of those three packages on that project, no other.
    const expected = db()
      .prepare(
        `SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.display_name LIKE '%rengine/web%'
         AND f.component_name IN ('django', 'requests', 'selenium') AND f.status = 'open' ORDER BY f.id`,
      )
      .pluck()
      .all();
    expect(expected.length).toBeGreaterThan(20);
    expect(draft.findingIds).toEqual(expected);
    expect(v?.lint.map((l) => [l.tool, l.ok, l.ran])).toEqual([
      ['diff', true, true],
      ['patch --dry-run', true, true],
      ['manifest', true, true],
    ]);
    expect(v?.policy.blocked).toBe(false);
  });

  it('is approved with no hosts once ready, exported owner-only, and applies with git', async () => {
    const versionId = draft.versions[0]?.id as number;
    expect(
      (await callError('approvals.approve', { draftVersionId: versionId, hostIds: [] })).code,
    ).toBe('DRAFT_STATE');
    await call('drafts.setState', { id: draft.id, state: 'ready' });
    expect(
      (await callError('approvals.approve', { draftVersionId: versionId, hostIds: [1] })).message,
    ).toContain('it is exported, not pushed');
    const approval = await call<Output<'approvals.get'>>('approvals.approve', {
      draftVersionId: versionId,
      hostIds: [],
    });
    expect(approval.targets).toEqual([]);

    const out = join(dir, 'web.patch');
    const written = await call<Output<'drafts.exportPatch'>>('drafts.exportPatch', {
      id: draft.id,
      path: out,
    });
    expect(written).toMatchObject({
      draftId: draft.id,
      version: 1,
      approvalId: approval.id,
      file: 'web/requirements.txt',
    });
    expect(readFileSync(out, 'utf8')).toBe(draft.versions[0]?.patch?.diff);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((await callError('drafts.exportPatch', { id: draft.id, path: out })).code).toBe(
      'EXPORT_EXISTS',
    );
    await call('drafts.exportPatch', { id: draft.id, path: out, replace: true });

    const repo = checkout('web/requirements.txt', REQUIREMENTS);
    const git = spawnSync('git', ['apply', out], { cwd: repo, encoding: 'utf8' });
    expect(git.status, git.stderr).toBe(0);
    expect(readFileSync(join(repo, 'web/requirements.txt'), 'utf8')).toBe(
      'Django==3.2.24\nrequests>=2.31.0  # http client\nselenium==4.14.0\nflask==2.0.1\n',
    );

    const exports = db()
      .prepare(`SELECT summary FROM audit WHERE action = 'draft.exportPatch' ORDER BY seq`)
      .pluck()
      .all() as string[];
    expect(exports).toHaveLength(2);
    expect(JSON.parse(exports[0] as string)).toMatchObject({
      after: { approvalId: approval.id, file: 'web/requirements.txt', out, sha256: written.sha256 },
    });
  });

  it('is never pushed: a push of its approval is refused with DRAFT_KIND', async () => {
    const [approval] = await call<Output<'approvals.list'>>('approvals.list');
    const refused = await runJob(core, 'push.run', {
      approvalId: approval?.id,
      dryRun: true,
      confirm: true,
    });
    expect(refused.state).toBe('failed');
    expect(refused.error?.code).toBe('DRAFT_KIND');
    expect(refused.error?.message).toContain('drafts export-patch');
  });

  it('refuses to export once the stored patch no longer matches the approved hash', async () => {
    const versionId = draft.versions[0]?.id as number;
    const stored = db()
      .prepare('SELECT patch FROM draft_versions WHERE id = ?')
      .pluck()
      .get(versionId) as string;
    const tampered = JSON.parse(stored) as { diff: string };
    tampered.diff = tampered.diff.replace('+selenium==4.14.0', '+selenium==4.15.0');
    db()
      .prepare('UPDATE draft_versions SET patch = ? WHERE id = ?')
      .run(JSON.stringify(tampered), versionId);
    const refused = await callError('drafts.exportPatch', {
      id: draft.id,
      path: join(dir, 'again.patch'),
    });
    expect(refused.code).toBe('APPROVAL_HASH_MISMATCH');
    db().prepare('UPDATE draft_versions SET patch = ? WHERE id = ?').run(stored, versionId);
  });

  it('blocks a version that lowers a version or changes more than the bumps', async () => {
    const patch = draft.versions[0]?.patch;
    if (!patch) throw new Error('no patch');
    const base = patch.base.replace('Django==3.2.4', 'Django==3.2.30');
    const session = core.ctx.vault.session();
    await editDraft(session, draft.id, {
      engine: 'manual',
      patch: {
        ...patch,
        base,
        baseSha256: (await import('../../../src-main/patches/patch-check')).sha256(base),
        diff: patch.diff.replace('-Django==3.2.4', '-Django==3.2.30'),
        bumps: [
          { name: 'Django', from: '==3.2.30', to: '==3.2.24', line: 1 },
          ...patch.bumps.slice(1),
        ],
      },
    });
    const blocked = await call<Detail>('drafts.get', { id: draft.id });
    expect(blocked.state).toBe('blocked');
    // Lowering Django is a downgrade, and replaying the bumps does not give the diff's file.
    expect(blocked.versions[1]?.policy.findings.map((f) => f.rule)).toEqual([
      'patch-no-downgrade',
      'patch-only-versions',
    ]);
    expect((await callError('drafts.setState', { id: draft.id, state: 'ready' })).code).toBe(
      'DRAFT_BLOCKED',
    );
    // The first version's approval was voided by the edit.
    const [approval] = await call<Output<'approvals.list'>>('approvals.list');
    expect(approval?.state).toBe('voided');
  });

  it('says why when nothing can be bumped, and refuses a file that is not a manifest', async () => {
    const tar = findingOf('multiple_cwes', 'tar');
    const none = await callError('drafts.createPatch', {
      findingId: tar,
      manifestPath: join(dir, 'package.json'),
    });
    expect(none.code).toBe('NOTHING_TO_PATCH');
    expect(none.message).toBe(
      'package.json cannot be patched for tar: not a direct dependency in package.json; it is pulled in by @angular-devkit/build-angular, bump that instead.',
    );
    const wrong = await callError('drafts.createPatch', {
      findingId: tar,
      manifestPath: join(dir, 'web.patch'),
    });
    expect(wrong.code).toBe('MANIFEST_UNKNOWN');
    const outside = await callError('drafts.createPatch', {
      findingId: tar,
      manifestPath: join(dir, 'package.json'),
      repoPath: '../package.json',
    });
    expect(outside.code).toBe('INVALID_INPUT');
  });
});

describe('software findings and host scripts', () => {
  it('never get a host script: the rules engine says to draft a manifest patch, and no rule group holds them', async () => {
    const django = findingOf('rengine/web', 'django');
    const refused = await runJob(core, 'drafts.create', { findingId: django, engine: 'rules' });
    expect(refused.state).toBe('failed');
    expect(refused.error?.code).toBe('NO_RULE');
    expect(refused.error?.message).toContain('not a host: draft a manifest patch instead');
    const groups = await call<Output<'drafts.groups'>>('drafts.groups');
    expect(groups).toEqual([]);
  });

  it('never become push targets', async () => {
    const asset = db()
      .prepare(`SELECT id FROM assets WHERE display_name LIKE '%rengine/web%'`)
      .pluck()
      .get() as number;
    const refused = await callError('hosts.fromAssets', { assetIds: [asset], username: 'root' });
    expect(refused.code).toBe('NOT_A_HOST');
    expect(refused.message).toContain('is software (a project or repository)');
    expect(await call<Output<'hosts.list'>>('hosts.list')).toEqual([]);
  });
});

describe('the CLI, with the public JSON shapes', () => {
  it('drafts patch, ready, approve without --targets, export-patch; push run refuses', async () => {
    const karma = findingOf('multiple_cwes', 'karma');
    core.ctx.vault.lock('test');
    const vz = cli({ VULNZERO_VAULT: core.ctx.vault.path, VULNZERO_PASSPHRASE: PASS });
    const created = await vz(
      'drafts',
      'patch',
      '--finding',
      String(karma),
      '--manifest',
      join(dir, 'package.json'),
      '--json',
    );
    expect(created.code, created.err).toBe(0);
    const draft = JSON.parse(created.out) as Detail;
    expect(draft.kind).toBe('patch');
    expect(draft.versions[0]?.patch?.bumps).toEqual([
      { name: 'karma', from: '^4.2.0', to: '^6.3.16', line: 4 },
    ]);
    const text = await vz('drafts', 'show', String(draft.id));
    expect(text.out).toContain('bump karma ^4.2.0 -> ^6.3.16 (package.json:4)');
    expect(text.out).toContain('+    "karma": "^6.3.16",');

    expect((await vz('drafts', 'ready', String(draft.id))).code).toBe(0);
    const approved = await vz('approve', String(draft.versions[0]?.id), '--json');
    expect(approved.code, approved.err).toBe(0);
    const approval = JSON.parse(approved.out) as Output<'approvals.get'>;
    const out = join(dir, 'front.patch');
    const exported = await vz('drafts', 'export-patch', String(draft.id), '--out', out, '--json');
    expect(exported.code, exported.err).toBe(0);
    expect(JSON.parse(exported.out)).toMatchObject({
      draftId: draft.id,
      approvalId: approval.id,
      file: 'package.json',
    });
    expect((await vz('drafts', 'export-patch', String(draft.id), '--out', out)).code).toBe(1);
    expect(
      (await vz('drafts', 'export-patch', String(draft.id), '--out', out, '--force')).code,
    ).toBe(0);

    const repo = checkout('package.json', PACKAGE_JSON);
    expect(spawnSync('git', ['apply', out], { cwd: repo }).status).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))).toMatchObject({
      devDependencies: { karma: '^6.3.16', typescript: '~3.5.3' },
    });
    const push = await vz('push', 'run', String(approval.id), '--dry-run');
    expect(push.code).toBe(1);
    expect(push.err).toContain('a patch is never pushed over SSH');
  });
});
