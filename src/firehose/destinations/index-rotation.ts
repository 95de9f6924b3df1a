/**
 * OpenSearch/Elasticsearch index rotation: the index name gets the UTC arrival time of the record
 * appended, as the developer guide's table shows for 2016-02-25T13:00:00Z and index `myindex`:
 * NoRotation `myindex`, OneHour `myindex-2016-02-25-13`, OneDay `myindex-2016-02-25`, OneWeek
 * `myindex-2016-w08`, OneMonth `myindex-2016-02`.
 *
 * Weeks start on Sunday; days before the year's first Sunday are in week 00 (C's `%U`), which
 * gives the guide's w08 for that date (ISO weeks would too, but start on Monday).
 */
export const indexRotationPeriods = ['NoRotation', 'OneHour', 'OneDay', 'OneWeek', 'OneMonth'] as const;
export type IndexRotationPeriod = (typeof indexRotationPeriods)[number];

const two = (value: number): string => String(value).padStart(2, '0');

export function rotatedIndexName(indexName: string, period: IndexRotationPeriod, arrivalMs: number): string {
  const time = new Date(arrivalMs);
  const year = time.getUTCFullYear();
  const month = two(time.getUTCMonth() + 1);
  const day = two(time.getUTCDate());
  switch (period) {
    case 'NoRotation':
      return indexName;
    case 'OneHour':
      return `${indexName}-${year}-${month}-${day}-${two(time.getUTCHours())}`;
    case 'OneDay':
      return `${indexName}-${year}-${month}-${day}`;
    case 'OneWeek':
      return `${indexName}-${year}-w${two(sundayWeekOfYear(time))}`;
    case 'OneMonth':
      return `${indexName}-${year}-${month}`;
  }
}

/** C's `%U`: the week of the year (00–53), weeks starting on Sunday. */
export function sundayWeekOfYear(time: Date): number {
  const startOfYearMs = Date.UTC(time.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((time.getTime() - startOfYearMs) / 86_400_000);
  return Math.floor((dayOfYear + 7 - time.getUTCDay()) / 7);
}
