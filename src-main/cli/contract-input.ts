/**
 * Validates what a command assembled from its flags against the same zod schema the
 * screens' channel uses (src-preload/contract.ts), so the CLI accepts exactly what the
 * screens may send. A mismatch is a usage error naming the flag's field.
 */
import type { z } from 'zod';
import { UsageError } from './command';

export function contractInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; '),
    );
  return parsed.data;
}
