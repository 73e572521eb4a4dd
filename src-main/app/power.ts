/**
 * A locked screen or a sleeping laptop is not a locked vault: when the machine suspends or
 * the operator locks the screen, the vault locks too (the data key leaves memory), as the
 * idle lock would later (SECURITY.md, "An unlocked session").
 */
export type LockReason = 'suspend' | 'screen locked';

interface PowerEvents {
  on(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
}

export function lockOnSleep(power: PowerEvents, lock: (reason: LockReason) => void): void {
  power.on('suspend', () => lock('suspend'));
  power.on('lock-screen', () => lock('screen locked'));
}
