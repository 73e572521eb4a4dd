/**
 * Audit anchors through the CLI: the chain alone cannot tell that its newest entries were
 * deleted (what is left still verifies); an anchor written down earlier can.
 */
import { describe, expect, it } from 'vitest';
import { unlockVault } from '../../../src-main/vault/vault';
import { verifyAudit } from '../../../src-main/vault/audit';
import { checkAnchor } from '../../../src-main/vault/audit-anchor';
import { cli } from '../../helpers/cli';
import { PASS, newVault } from '../../helpers/vault';

describe('audit anchor', () => {
  it('catches entries cut off the end of the chain, which the chain alone does not', async () => {
    const { path, session } = await newVault();
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    const printed = await vz('audit', 'anchor', '--json');
    expect(printed.code, printed.err).toBe(0);
    const anchor = JSON.parse(printed.out) as { seq: number; mac: string; anchor: string };
    expect(anchor.anchor).toBe(`vz-audit:${anchor.seq}:${anchor.mac}`);
    expect(anchor.mac).toMatch(/^[0-9a-f]{64}$/);

    // More work later: the anchored entry stays in the chain.
    expect((await vz('vault', 'backup', `${path}.bak`)).code).toBe(0);
    const later = await vz('audit', 'verify', '--anchor', anchor.anchor);
    expect(later.code, later.out).toBe(0);
    expect(later.out).toMatch(/anchor: entry \d+ is in the chain \(\d+ entries after it\)/);

    // Someone with the key deletes the newest entries, the anchored one among them.
    const raw = await unlockVault({ path, operator: 'alice', passphrase: PASS });
    raw.db.prepare('DELETE FROM audit WHERE seq >= ?').run(anchor.seq);
    expect(verifyAudit(raw.db).ok).toBe(true);
    expect(checkAnchor(raw.db, anchor.anchor)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(`entry ${anchor.seq} is gone`),
    });
    raw.lock();
    const cut = await vz('audit', 'verify', '--anchor', anchor.anchor);
    expect(cut.code).toBe(1);
    // The CLI's own unlock wrote new entries where the deleted ones were: still caught.
    expect(cut.out).toContain(`ANCHOR FAILED: entry ${anchor.seq} is not the anchored one`);

    const wrong = await vz('audit', 'verify', '--anchor', 'vz-audit:1:abc');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('An audit anchor reads vz-audit:<sequence>:<64 hex digits>');
  });
});
