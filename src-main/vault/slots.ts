/** Operator key slots: building them and committing a data-key rotation. */
import { VzError } from '../core/errors';
import {
  deriveKek,
  newOperatorKeyPair,
  newScryptParams,
  seal,
  wipe,
  wrapForPublicKey,
} from './crypto';
import {
  dataKeyAad,
  keyFilePath,
  privateKeyAad,
  writeKeyFile,
  type KeyFile,
  type OperatorSlot,
} from './keyfile';

export interface KdfCost {
  logN: number;
  r: number;
  p: number;
}

const OPERATOR_NAME = /^[\p{L}\p{N}._@-]{1,64}$/u;

export function assertOperatorName(name: string): void {
  if (!OPERATOR_NAME.test(name)) {
    throw new VzError(
      'INVALID_OPERATOR_NAME',
      'Operator names use 1–64 letters, digits, dot, dash, underscore or @.',
    );
  }
}

/** Builds an operator's key slot: a fresh key pair, the private key sealed by the passphrase. */
export async function buildSlot(
  vaultId: string,
  id: string,
  name: string,
  passphrase: string,
  dataKey: Buffer,
  epoch: number,
  cost: KdfCost,
): Promise<OperatorSlot> {
  const kdf = newScryptParams(cost);
  const kek = await deriveKek(passphrase, kdf);
  const pair = newOperatorKeyPair();
  const slot: OperatorSlot = {
    id,
    name,
    kdf,
    publicKey: pair.publicKey,
    privateKey: seal(kek, pair.privateKey, privateKeyAad(vaultId, { id, kdf })),
    dataKey: wrapForPublicKey(dataKey, pair.publicKey, dataKeyAad(vaultId, id, epoch)),
  };
  wipe(kek, pair.privateKey);
  return slot;
}

/** Makes the pending wraps current (used after a rekey and by crash recovery). */
export function commitRotation(file: KeyFile, newKey: Buffer, vaultPath: string): KeyFile {
  if (!file.pending) return file;
  const { pending } = file;
  const operators = file.operators
    .filter((o) => pending.wraps[o.id])
    .map((o) => ({ ...o, dataKey: pending.wraps[o.id] as OperatorSlot['dataKey'] }));
  const { mac: _mac, ...rest } = file;
  return writeKeyFile(
    keyFilePath(vaultPath),
    { ...rest, epoch: pending.epoch, operators, pending: null },
    newKey,
  );
}
