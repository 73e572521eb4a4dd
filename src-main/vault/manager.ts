/**
 * The process's vault: its path, the current session (if unlocked) and the idle lock.
 * Handlers reach the vault only through this object (it is in the core context).
 *
 * "Try with sample data" swaps in a demo vault kept apart from the real one (its own
 * folder beside it, a random passphrase held only in memory). Locking a demo discards
 * it and returns to the real vault: sample data is never mixed with real data.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { initDemoVault, demoMark } from '../demo/init';
import { reopenExpired } from '../triage/decisions';
import { markInterrupted } from '../push/engine';
import { existsSync, rmSync } from 'node:fs';
import { VzError } from '../core/errors';
import type { VaultStatus } from '../core/context';
import type { SessionOperator, VaultSession } from './session';
import type { KdfCost } from './slots';
import { createVault, unlockVault } from './vault';

export const DEFAULT_IDLE_MINUTES = 15;

export class VaultManager implements VaultStatus {
  private current: VaultSession | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private backupTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly lockListeners = new Set<(reason: string) => void>();
  private demoActive = false;

  constructor(
    readonly realPath: string,
    private readonly options: {
      kdf?: KdfCost;
      /** Sample scans and feeds (resources/demo; packaged: <resources>/demo). */
      demoDir?: string;
      onBackgroundError?: (what: string, error: unknown) => void;
    } = {},
  ) {}

  /** The vault file in use: the real one, or the demo while a demo is open. */
  get path(): string {
    return this.demoActive ? this.demoPath() : this.realPath;
  }

  /** `<dir>/demo-vault/vault.vz` beside the real vault: its own folder, never the real file. */
  demoPath(): string {
    return join(dirname(this.realPath), 'demo-vault', 'vault.vz');
  }

  /** Whether the vault in use holds sample data (a demo mark, or a demo being opened). */
  isDemo(): boolean {
    if (this.current?.isOpen) return demoMark(this.current.db) !== null;
    return this.demoActive;
  }

  /**
   * Locks the real vault (if open), builds a fresh demo vault from the sample files and
   * opens it as operator "demo". Any earlier demo is replaced.
   */
  async startDemo(): Promise<VaultSession> {
    this.lock('demo');
    const path = this.demoPath();
    rmSync(dirname(path), { recursive: true, force: true });
    const passphrase = randomBytes(24).toString('base64url');
    try {
      await initDemoVault({
        path,
        operator: 'demo',
        passphrase,
        ...(this.options.kdf ? { kdf: this.options.kdf } : {}),
        ...(this.options.demoDir ? { demoDir: this.options.demoDir } : {}),
      });
      this.demoActive = true;
      this.adopt(await unlockVault({ path, operator: 'demo', passphrase }));
    } catch (error) {
      this.demoActive = false;
      rmSync(dirname(path), { recursive: true, force: true });
      throw error;
    }
    return this.session();
  }

  state(): 'absent' | 'locked' | 'unlocked' {
    if (this.current?.isOpen) return 'unlocked';
    return existsSync(this.path) ? 'locked' : 'absent';
  }

  operator(): SessionOperator | null {
    return this.current?.isOpen ? this.current.operator : null;
  }

  session(): VaultSession {
    if (!this.current?.isOpen)
      throw new VzError('VAULT_LOCKED', 'The vault is locked. Unlock it first.');
    this.touch();
    return this.current;
  }

  async create(operator: string, passphrase: string): Promise<VaultSession> {
    this.adopt(
      await createVault({
        path: this.path,
        operator,
        passphrase,
        ...(this.options.kdf ? { kdf: this.options.kdf } : {}),
      }),
    );
    return this.session();
  }

  async unlock(operator: string, passphrase: string, totp?: string): Promise<VaultSession> {
    if (this.current?.isOpen) this.lock('unlock as another operator');
    this.adopt(
      await unlockVault({ path: this.path, operator, passphrase, ...(totp ? { totp } : {}) }),
    );
    return this.session();
  }

  /** Replaces the session (after unlock or restore) and starts the backup schedule. */
  adopt(session: VaultSession): void {
    this.current = session;
    // The reader thread starts now, so the first dashboard does not wait for it.
    session.reader().start();
    this.touch();
    this.reopenExpiredAcceptances();
    this.markInterruptedPushes();
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = setInterval(() => this.reopenExpiredAcceptances(), 60 * 60_000);
    this.expiryTimer.unref();
    if (this.backupTimer) clearTimeout(this.backupTimer);
    const check = () => {
      if (!this.current?.isOpen) return;
      this.current
        .maybeScheduledBackup()
        .catch((error: unknown) => this.options.onBackgroundError?.('scheduled backup', error));
    };
    // Checked a minute after unlocking (not in the middle of it), then every 30 minutes
    // while unlocked; the backup interval itself is a vault setting.
    this.backupTimer = setTimeout(() => {
      check();
      this.backupTimer = setInterval(check, 30 * 60_000);
      this.backupTimer.unref();
    }, 60_000);
    this.backupTimer.unref();
  }

  /** Risk acceptances past their expiry go back to open, audited (triage/decisions.ts). */
  reopenExpiredAcceptances(now = new Date()): number {
    if (!this.current?.isOpen) return 0;
    try {
      return reopenExpired(this.current.db, { id: null, name: 'system' }, now);
    } catch (error) {
      this.options.onBackgroundError?.('reopening expired acceptances', error);
      return 0;
    }
  }

  /** A push that was running when the app stopped shows its hosts "interrupted at <step>". */
  private markInterruptedPushes(): void {
    if (!this.current?.isOpen) return;
    try {
      const runs = markInterrupted(this.current.db);
      if (runs)
        this.current.audit({
          action: 'push.interrupted',
          objectType: 'push_run',
          summary: { after: { runs } },
        });
    } catch (error) {
      this.options.onBackgroundError?.('marking interrupted pushes', error);
    }
  }

  lock(reason = 'operator'): void {
    try {
      this.lockSession(reason);
    } finally {
      this.discardDemo();
    }
  }

  /** After a demo locks, its folder goes and the real vault is the one in use again. */
  private discardDemo(): void {
    if (!this.demoActive) return;
    this.demoActive = false;
    rmSync(dirname(this.demoPath()), { recursive: true, force: true });
  }

  private lockSession(reason: string): void {
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.backupTimer) clearTimeout(this.backupTimer);
    this.backupTimer = null;
    if (!this.current?.isOpen) return;
    for (const listener of this.lockListeners) listener(reason);
    try {
      this.current.audit({
        action: 'vault.lock',
        objectType: 'vault',
        objectId: this.current.vaultId,
        summary: { reason },
      });
    } finally {
      this.current.lock();
      this.current = null;
    }
  }

  onLock(listener: (reason: string) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Minutes of inactivity before the lock; a 0 stored by an older build means the default. */
  idleMinutes(): number {
    const stored = this.current?.isOpen
      ? this.current.setting('lock.idleMinutes', DEFAULT_IDLE_MINUTES)
      : DEFAULT_IDLE_MINUTES;
    return stored >= 1 ? stored : DEFAULT_IDLE_MINUTES;
  }

  /** Any operator activity restarts the idle countdown. */
  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const minutes = this.idleMinutes();
    if (!this.current?.isOpen) return;
    this.idleTimer = setTimeout(() => this.lock('idle'), minutes * 60_000);
    this.idleTimer.unref();
  }
}
