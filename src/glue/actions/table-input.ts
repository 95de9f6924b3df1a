/**
 * Checks on a TableInput beyond its model shape. Glue accepts any column type text (Athena and
 * Firehose complain later), so only what would break the catalog itself is refused here.
 */
import { invalidInput } from '../glue-errors.js';

interface ColumnLike {
  readonly Name?: unknown;
}

export function checkTableInput(input: Record<string, unknown>): void {
  const descriptor = input['StorageDescriptor'] as { readonly Columns?: readonly ColumnLike[] } | undefined;
  const partitionKeys = (input['PartitionKeys'] as readonly ColumnLike[] | undefined) ?? [];
  const seen = new Set<string>();
  for (const column of [...(descriptor?.Columns ?? []), ...partitionKeys]) {
    const name = String(column.Name).toLowerCase();
    if (seen.has(name)) throw invalidInput(`Column name ${name} is duplicated.`);
    seen.add(name);
  }
}
