import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFilePath } from '../../../src-main/vault/keyfile';
import { runWriterTask } from '../../../src-main/vault/writer/client';
import { unlockVault } from '../../../src-main/vault/vault';
import { PASS, newVault, tempDir } from '../../helpers/vault';

describe('the writer thread and the write-ahead log', () => {
  it('closes its connection before it answers, so locking right after removes the WAL', async () => {
    const { path, session } = await newVault();
    // Large enough that the thread's close (freeing its page cache) takes longer than the
    // answer takes to reach this thread: the order is what the test checks.
    for (let round = 0; round < 3; round += 1) {
      const { inserted } = await runWriterTask(path, session.keyForWriter(), 'insert-synthetic', {
        rows: 60_000,
        marker: `round-${round}`,
      });
      expect(inserted).toBe(60_000);
    }
    expect(existsSync(`${path}-wal`)).toBe(true);
    session.lock();
    // The session's connection was the last one: its close checkpointed the log and
    // deleted it, so the vault file alone holds every committed row.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('locking with the reader thread open still leaves every committed change in the vault file', async () => {
    const { path, session } = await newVault();
    // The reader thread holds its own connection: the session's close is not the last one.
    expect(await session.reader().read('dashboard', {})).toBeDefined();
    session.audit({ action: 'test.marker', objectType: 'vault', summary: { n: 1 } });
    session.lock();
    // Carry the vault file and its key file only, as an operator copying the .vz would.
    const copy = join(tempDir(), 'vault.vz');
    copyFileSync(path, copy);
    copyFileSync(keyFilePath(path), keyFilePath(copy));
    const again = await unlockVault({ path: copy, operator: 'alice', passphrase: PASS });
    const actions = again.db.prepare('SELECT action FROM audit').pluck().all();
    again.lock();
    expect(actions).toContain('test.marker');
  });
});
