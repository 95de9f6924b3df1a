/**
 * Bounds of the SQL front end. They belong with the other limits in `core/limits.ts`; they live
 * here until the analytics service is wired in, because this branch may only touch
 * `src/analytics/sql/`.
 */
export const sqlLimits = {
  /** KDA's application code limit (100 KB, counted by the API in characters). */
  sourceCharsMax: 102_400,
  /** Nesting of expressions and queries; deeper input is rejected, not a stack overflow. */
  nestingDepthMax: 200,
} as const;
