/** Which call names are aggregates (GROUP BY / STAGGER / OVER) and which are analytic-only (OVER). */
export const aggregateNames: ReadonlySet<string> = new Set([
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'STDDEV_POP',
  'STDDEV_SAMP',
  'STDDEV',
  'STD_DEV',
  'VAR_POP',
  'VAR_SAMP',
  'VARIANCE',
  'ANY',
  'SOME',
  'EVERY',
]);

export const analyticNames: ReadonlySet<string> = new Set([
  'FIRST_VALUE',
  'LAST_VALUE',
  'LAG',
  'NTH_VALUE',
  'EXP_AVG',
]);
