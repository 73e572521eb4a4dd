/**
 * The local model registry: GGUF files the operator copied in on media. Adding one
 * records its path, size, SHA-256 and GGUF metadata (architecture, parameters, context
 * length, quantization) with any warnings; the file itself stays where it is.
 */
import type { z } from 'zod';
import type { modelInfo } from '../../src-preload/drafts-schemas';
import { VzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';
import { inspectModel } from './llm/model-info';

export type ModelInfo = z.infer<typeof modelInfo>;

interface ModelRow {
  id: number;
  name: string;
  path: string;
  size: number;
  sha256: string;
  metadata: string;
  warnings: string;
  added_by: string;
  added_at: string;
}

function toInfo(r: ModelRow): ModelInfo {
  return {
    id: r.id,
    name: r.name,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    metadata: JSON.parse(r.metadata) as ModelInfo['metadata'],
    warnings: JSON.parse(r.warnings) as string[],
    addedBy: r.added_by,
    addedAt: r.added_at,
  };
}

export function listModels(db: Db): ModelInfo[] {
  return (
    db.prepare('SELECT * FROM models WHERE removed_at IS NULL ORDER BY id').all() as ModelRow[]
  ).map(toInfo);
}

export function getModel(db: Db, id?: number): ModelInfo {
  const models = listModels(db);
  const model = id === undefined ? models.at(-1) : models.find((m) => m.id === id);
  if (!model)
    throw new VzError(
      'MODEL_NOT_FOUND',
      id === undefined
        ? 'No local model is registered: add a GGUF file first (models add PATH).'
        : `No model #${id}.`,
    );
  return model;
}

export async function addModel(
  session: VaultSession,
  path: string,
  name?: string,
): Promise<ModelInfo> {
  session.requireRole('admin', 'approver', 'analyst');
  const info = await inspectModel(path);
  const existing = listModels(session.db).find((m) => m.sha256 === info.sha256);
  if (existing)
    throw new VzError(
      'MODEL_EXISTS',
      `This file is already registered as model #${existing.id} (${existing.name}).`,
    );
  const id = session.transact(
    (db) =>
      Number(
        db
          .prepare(
            `INSERT INTO models(name, path, size, sha256, metadata, warnings, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(sha256) DO UPDATE SET removed_at = NULL, path = excluded.path, name = excluded.name`,
          )
          .run(
            name ?? info.name,
            info.path,
            info.size,
            info.sha256,
            JSON.stringify(info.metadata),
            JSON.stringify(info.warnings),
            session.operator.name,
            new Date().toISOString(),
          ).lastInsertRowid,
      ),
    (rowId) => ({
      action: 'model.add',
      objectType: 'model',
      objectId: rowId,
      summary: { after: { sha256: info.sha256, size: info.size, warnings: info.warnings.length } },
    }),
  );
  return getModel(
    session.db,
    id ||
      (session.db
        .prepare('SELECT id FROM models WHERE sha256 = ?')
        .pluck()
        .get(info.sha256) as number),
  );
}

export function removeModel(session: VaultSession, id: number): void {
  session.requireRole('admin', 'approver', 'analyst');
  const model = getModel(session.db, id);
  session.transact(
    (db) =>
      db.prepare('UPDATE models SET removed_at = ? WHERE id = ?').run(new Date().toISOString(), id),
    {
      action: 'model.remove',
      objectType: 'model',
      objectId: id,
      summary: { before: { sha256: model.sha256 } },
    },
  );
}
