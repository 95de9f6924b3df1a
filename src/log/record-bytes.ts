/**
 * How many bytes a record counts for against a read's `maxBytes`: its data plus its partition
 * key in UTF-8, as Kinesis counts them. Every LogStore uses this one measure so that reads are
 * bounded the same way whichever store is behind them.
 */

export function recordBytes(partitionKey: string, dataBytes: number): number {
  return Buffer.byteLength(partitionKey, 'utf8') + dataBytes;
}
