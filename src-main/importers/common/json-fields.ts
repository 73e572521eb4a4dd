/**
 * Lenient zod building blocks for scanner JSON. Reports from different tool versions add,
 * rename and null out fields; an unexpected type in an optional field must not reject the
 * whole record, so these fall back to undefined instead of failing.
 */
import { z } from 'zod';

/** A string, or undefined when absent, null or of another type. */
export const optionalString = z.string().optional().catch(undefined);

/** A finite number, or undefined when absent, null or of another type. */
export const optionalNumber = z.number().finite().optional().catch(undefined);

/** A list of strings (non-strings dropped), or undefined. */
export const stringList = z
  .array(z.unknown())
  .transform((items) => items.filter((item): item is string => typeof item === 'string'))
  .optional()
  .catch(undefined);

/** An object schema that keeps unknown keys, or undefined when absent or not an object. */
export function optionalObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.looseObject(shape).optional().catch(undefined);
}

/** A list of objects; elements that do not match are dropped, not fatal. */
export function objectList<T extends z.core.$ZodLooseShape>(shape: T) {
  const element = z.looseObject(shape);
  return z
    .array(z.unknown())
    .transform((items) =>
      items.flatMap((item) => {
        const parsed = element.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      }),
    )
    .optional()
    .catch(undefined);
}

/** Short description of why a record did not match its schema, for a note. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`)
    .join('; ');
}
