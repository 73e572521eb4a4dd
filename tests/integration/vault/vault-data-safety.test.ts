import { readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src-main/vault/sqlcipher';
import { exportAudit, verifyAudit } from '../../../src-main/vault/audit';
import { keyFilePath, type KeyFile } from '../../../src-main/vault/keyfile';
import { restoreBackup } from '../../../src-main/vault/restore';
import { openEncrypted } from '../../../src-main/vault/sqlcipher';
import { unlockVault } from '../../../src-main/vault/vault';
import { PASS, filesContaining, newVault } from '../../helpers/vault';

function storeMarkers(db: Db, marker: string, rows = 500): void {
  const now = new Date().toISOString();
  const insert = db.prepare(
    'INSERT INTO assets(display_name, hostname, os, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1)
      insert.run(`${marker}-asset-${i}`, `${marker}-host-${i}.corp`, 'Ubuntu 22.04', now, now);
  })();
}

describe('nothing in clear on disk', () => {
  it('keeps markers out of every file the app writes: db, -wal, -shm, backups, key file, temp', async () => {
    const { dir, path, session } = await newVault();
    const marker = 'ZEBRA7731SECRET';
    storeMarkers(session.db, marker);
    session.audit({
      action: 'test.marker',
      objectType: 'asset',
      summary: { note: `${marker}-in-audit` },
    });
    // A sort big enough to spill would use temp files; temp_store=MEMORY keeps it in RAM.
    session.db.prepare('SELECT display_name FROM assets ORDER BY hostname DESC, os').all();
    // While open, the WAL and shared memory files exist and hold recent pages.
    expect(readdirSync(dir).sort()).toEqual(
      expect.arrayContaining(['vault.vz', 'vault.vz-wal', 'vault.vz-shm', 'vault.vz.keys']),
    );
    expect(filesContaining(dir, marker)).toEqual([]);
    session.backupSync('manual', join(dir, 'manual.vzbak'));
    const rotated = await session.rotateDataKey();
    expect(rotated.epoch).toBe(2);
    storeMarkers(session.db, `${marker}2`, 50);
    expect(filesContaining(dir, marker)).toEqual([]);
    session.lock();
    expect(filesContaining(dir, marker)).toEqual([]);
    expect(filesContaining(dir, 'Ubuntu 22.04')).toEqual([]);
    // Sanity: the data is really there.
    const again = await unlockVault({ path, operator: 'alice', passphrase: PASS });
    expect(
      (
        again.db
          .prepare(`SELECT count(*) AS n FROM assets WHERE display_name LIKE '${marker}%'`)
          .get() as { n: number }
      ).n,
    ).toBe(550);
    again.lock();
  });
});

describe('audit chain', () => {
  it('verifies an intact chain and reports the first tampered entry with its position', async () => {
    const { session } = await newVault();
    for (let i = 0; i < 5; i += 1)
      session.audit({
        action: 'test.event',
        objectType: 'thing',
        objectId: i,
        summary: { after: { i } },
      });
    expect(verifyAudit(session.db)).toEqual({ ok: true, entries: 6 });
    session.db.prepare(`UPDATE audit SET summary = '{"after":{"i":99}}' WHERE seq = 4`).run();
    expect(verifyAudit(session.db)).toEqual({
      ok: false,
      entries: 3,
      firstBroken: { seq: 4, position: 4, reason: 'content was changed after it was written' },
    });
    expect(await session.check()).toMatchObject({ ok: false, audit: { firstBroken: { seq: 4 } } });
  });

  it('detects deleted and relinked entries', async () => {
    const { session } = await newVault();
    for (let i = 0; i < 4; i += 1)
      session.audit({ action: 'test.event', objectType: 'thing', objectId: i });
    session.db.prepare('DELETE FROM audit WHERE seq = 3').run();
    expect(verifyAudit(session.db).firstBroken).toMatchObject({
      seq: 4,
      position: 3,
      reason: 'entry 3 is missing',
    });
  });

  it('exports JSONL and CSV with the chain values', async () => {
    const { session } = await newVault();
    session.audit({
      action: 'test.csv',
      objectType: 'x',
      summary: { note: '=cmd|"/c calc"!A1, with "quotes"' },
    });
    const jsonl = [...exportAudit(session.db, 'jsonl')].join('');
    const entries = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { prevMac: string; mac: string; seq: number });
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(entries[1]?.prevMac).toBe(entries[0]?.mac);
    const csv = [...exportAudit(session.db, 'csv')].join('');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'seq,ts,operatorId,operatorName,action,objectType,objectId,summary,prevMac,mac',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(entries[1]?.mac);
  });
});

describe('backups', () => {
  it('round-trips everything through backup and restore, keeping the previous vault', async () => {
    const { dir, path, session } = await newVault();
    storeMarkers(session.db, 'BEFORE', 20);
    const backup = session.backupSync('manual', join(dir, 'b1.vzbak'));
    expect(session.listBackups().map((b) => b.path)).toContain(backup.path);
    storeMarkers(session.db, 'AFTER', 5);
    // The reader thread holds a connection of its own while the vault is swapped.
    expect(await session.reader().read('dashboard', {})).toBeDefined();
    const { session: restored, previous } = await restoreBackup(session, {
      backupPath: backup.path,
      passphrase: PASS,
    });
    expect(session.isOpen).toBe(false);
    const count = (p: string) =>
      (
        restored.db
          .prepare(`SELECT count(*) AS n FROM assets WHERE display_name LIKE '${p}%'`)
          .get() as { n: number }
      ).n;
    expect(count('BEFORE')).toBe(20);
    expect(count('AFTER')).toBe(0);
    expect(verifyAudit(restored.db).ok).toBe(true);
    expect(readdirSync(dir)).toContain(previous.split('/').pop());
    restored.lock();
    // The kept previous vault still opens with its own key file.
    const old = await unlockVault({ path: previous, operator: 'alice', passphrase: PASS });
    expect(
      (
        old.db
          .prepare(`SELECT count(*) AS n FROM assets WHERE display_name LIKE 'AFTER%'`)
          .get() as { n: number }
      ).n,
    ).toBe(5);
    // Nothing the previous vault committed before the swap is lost, its last audit entry
    // included (the entry after it is this unlock).
    expect(
      old.db.prepare('SELECT action FROM audit ORDER BY seq DESC LIMIT 2').pluck().all(),
    ).toEqual(['vault.unlock', 'vault.restore_started']);
    expect(verifyAudit(old.db).ok).toBe(true);
    old.lock();
    expect(path).toBeTruthy();
  });

  it('refuses a backup of another vault (wrong key) and a corrupted backup without touching the current vault', async () => {
    const { dir, path, session } = await newVault();
    storeMarkers(session.db, 'LIVE', 10);
    const other = await newVault(undefined, 'alice');
    const foreign = other.session.backupSync('manual', join(other.dir, 'foreign.vzbak'));
    other.session.lock();
    // Present the foreign database with our own key file: it must not decrypt.
    writeFileSync(keyFilePath(foreign.path), readFileSync(keyFilePath(path)));
    await expect(
      restoreBackup(session, { backupPath: foreign.path, passphrase: PASS }),
    ).rejects.toMatchObject({ code: 'BACKUP_WRONG_KEY' });

    const good = session.backupSync('manual', join(dir, 'good.vzbak'));
    const bytes = readFileSync(good.path);
    for (let i = 4096 + 100; i < bytes.length; i += 4096) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    writeFileSync(good.path, bytes);
    await expect(
      restoreBackup(session, { backupPath: good.path, passphrase: PASS }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^BACKUP_(CORRUPT|WRONG_KEY)$/),
    });
    rmSync(keyFilePath(good.path));
    await expect(
      restoreBackup(session, { backupPath: good.path, passphrase: PASS }),
    ).rejects.toMatchObject({ code: 'BACKUP_KEYFILE_MISSING' });

    expect(session.isOpen).toBe(true);
    expect(
      (
        session.db
          .prepare(`SELECT count(*) AS n FROM assets WHERE display_name LIKE 'LIVE%'`)
          .get() as { n: number }
      ).n,
    ).toBe(10);
    expect(readdirSync(dir).filter((f) => f.includes('pre-restore'))).toEqual([]);
  });

  it('takes scheduled backups by interval and keeps only the newest automatic ones', async () => {
    const { session } = await newVault();
    session.setSetting('backup.keep', 2);
    expect(await session.maybeScheduledBackup()).not.toBeNull();
    expect(await session.maybeScheduledBackup()).toBeNull();
    for (let i = 0; i < 3; i += 1) {
      await new Promise((r) => setTimeout(r, 5));
      session.backupSync('pre-rekey');
    }
    expect(session.listBackups().length).toBe(2);
  });
});

describe('data key rotation', () => {
  it('rekeys the database for every operator and recovers an interrupted rotation', async () => {
    const { path, session } = await newVault();
    await session.addOperator({
      name: 'bob',
      role: 'analyst',
      passphrase: 'teal-orchard-passage-58',
    });
    storeMarkers(session.db, 'ROT', 10);
    const oldKey = session.keyForWriter();
    await session.rotateDataKey();
    session.lock();
    expect(() => openEncrypted(path, oldKey)).toThrow(/cannot be decrypted/);
    const bob = await unlockVault({ path, operator: 'bob', passphrase: 'teal-orchard-passage-58' });
    expect((bob.db.prepare(`SELECT count(*) AS n FROM assets`).get() as { n: number }).n).toBe(10);
    expect(bob.info().keyEpoch).toBe(2);
    bob.lock();

    // Simulate a crash after the database was rekeyed but before the key file committed:
    // put back the key file with the rotation still pending.
    const admin = await unlockVault({ path, operator: 'alice', passphrase: PASS });
    const before = readFileSync(keyFilePath(path));
    await admin.rotateDataKey();
    admin.lock();
    const committed = JSON.parse(readFileSync(keyFilePath(path), 'utf8')) as {
      epoch: number;
      operators: { id: string; dataKey: unknown }[];
    };
    const pendingFile = JSON.parse(before.toString()) as {
      pending: unknown;
      epoch: number;
      operators: { id: string }[];
    };
    pendingFile.pending = {
      epoch: committed.epoch,
      wraps: Object.fromEntries(committed.operators.map((o) => [o.id, o.dataKey])),
    };
    // Re-seal with the old key (what the interrupted process had written).
    const { writeKeyFile } = await import('../../../src-main/vault/keyfile');
    const { mac: _mac, ...rest } = pendingFile as unknown as KeyFile;
    const old = await unlockVaultKeyOnly(before);
    writeKeyFile(keyFilePath(path), rest, old);
    const recovered = await unlockVault({
      path,
      operator: 'bob',
      passphrase: 'teal-orchard-passage-58',
    });
    expect(recovered.info().keyEpoch).toBe(3);
    expect(JSON.parse(readFileSync(keyFilePath(path), 'utf8'))).toMatchObject({
      pending: null,
      epoch: 3,
    });
    recovered.lock();
  });
});

/** The data key sealed in a key file for alice (test helper for the crash simulation). */
async function unlockVaultKeyOnly(keyFileBytes: Buffer): Promise<Buffer> {
  const { backupDataKey } = await import('../../../src-main/vault/restore');
  const { tempDir } = await import('../../helpers/vault');
  const dir = tempDir();
  writeFileSync(join(dir, 'x.vzbak.keys'), keyFileBytes);
  return backupDataKey(join(dir, 'x.vzbak'), 'alice', PASS);
}
