/**
 * The remediation report's shape (src-main/reports/figures.ts builds it; the Reports
 * screen, `vulnzero report --format json` and the HTML/CSV renderers all read it).
 * Imports zod only: this module is shared by the core and the renderer.
 */
import { z } from 'zod';

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** A report's scope as the operator gives it: bare dates cover the whole day. */
const day = z
  .string()
  .regex(DATE, 'a date, YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'a real date');

export const reportScopeFields = z.object({
  from: day.optional(),
  to: day.optional(),
  group: z.string().min(1).max(200).optional(),
});
export const reportScope = reportScopeFields.refine((s) => !s.from || !s.to || s.from <= s.to, {
  message: 'from must not be after to',
  path: ['from'],
});

export const REPORT_FORMATS = ['html', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const count = z.number().int().nonnegative();

export const remediationReport = z.object({
  generatedAt: z.string(),
  scope: z.object({
    from: z.string(),
    to: z.string(),
    group: z.string().nullable(),
    assets: count,
  }),
  open: z.object({
    total: count,
    bySeverity: z.record(z.string(), count),
    byDecision: z.record(z.string(), count),
    kev: count,
    overdue: count,
  }),
  kevItems: z.array(
    z.object({
      findingId: z.number().int(),
      cve: z.string(),
      asset: z.string(),
      dueAt: z.string(),
      overdue: z.boolean(),
    }),
  ),
  period: z.object({
    newFindings: count,
    fixed: count,
    fixedWithinSla: count,
    /** fixedWithinSla / fixed, 0..100; null when nothing was fixed */
    slaCompliancePct: z.number().nullable(),
    /** days from first seen to fixed, verified or not seen again; null when nothing was fixed */
    mttrDays: z.number().nullable(),
  }),
  pushRuns: z.array(
    z.object({
      id: z.number().int(),
      startedAt: z.string(),
      state: z.string(),
      origin: z.string(),
      hosts: count,
      verified: count,
      failed: count,
    }),
  ),
  /** hosts verified / hosts attempted, per draft origin (rules, llm, manual) */
  patchSuccess: z.array(
    z.object({ origin: z.string(), attempted: count, verified: count, pct: z.number().nullable() }),
  ),
  acceptedRisks: z.array(
    z.object({
      findingId: z.number().int(),
      title: z.string(),
      asset: z.string(),
      reason: z.string(),
      decidedBy: z.string(),
      expiresAt: z.string().nullable(),
    }),
  ),
});
export type RemediationReport = z.infer<typeof remediationReport>;
