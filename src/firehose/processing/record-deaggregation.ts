/**
 * The RecordDeAggregation processor: one Firehose record that holds several records becomes
 * several. First a KPL aggregated record (magic F3 89 9A C2, checksum valid) is unpacked into its
 * user records; then each piece is split by SubRecordType:
 * - `JSON`: consecutive top-level JSON objects or arrays (`{…}{…}`, `{…}\n{…}`); whitespace between
 *   them is dropped. A piece that is not a sequence of JSON objects/arrays stays whole, and a later
 *   step (jq, conversion) reports it.
 * - `DELIMITED`: split on the delimiter bytes; empty pieces are dropped.
 */
import { AggregationFormatError, deaggregate, isAggregated } from '../../core/kpl-aggregation.js';
import type { DeAggregationSettings } from './processor-config.js';

export function deAggregate(data: Buffer, settings: DeAggregationSettings): Buffer[] {
  const pieces: Buffer[] = [];
  for (const piece of kplUserRecords(data)) {
    if (settings.subRecordType === 'JSON') pieces.push(...splitJson(piece));
    else pieces.push(...splitDelimited(piece, settings.delimiter));
  }
  return pieces;
}

function kplUserRecords(data: Buffer): Buffer[] {
  if (!isAggregated(data)) return [data];
  try {
    return deaggregate(data, '').map((record) => record.data);
  } catch (error) {
    if (error instanceof AggregationFormatError) return [data];
    throw error;
  }
}

const isWhitespace = (byte: number): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Top-level JSON objects/arrays of `data`, or `[data]` when it is not such a sequence. */
export function splitJson(data: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    while (at < data.length && isWhitespace(data[at] as number)) at++;
    if (at >= data.length) break;
    const first = data[at] as number;
    if (first !== 0x7b && first !== 0x5b) return [data];
    const end = valueEnd(data, at);
    if (end < 0) return [data];
    pieces.push(data.subarray(at, end));
    at = end;
  }
  return pieces.length === 0 ? [data] : pieces;
}

/** The index after the object/array starting at `start`, or -1 if it never closes. */
function valueEnd(data: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let at = start; at < data.length; at++) {
    const byte = data[at] as number;
    if (inString) {
      if (byte === 0x5c) at++;
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) return at + 1;
    }
  }
  return -1;
}

function splitDelimited(data: Buffer, delimiter: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  while (at <= data.length) {
    const next = data.indexOf(delimiter, at);
    const end = next < 0 ? data.length : next;
    if (end > at) pieces.push(data.subarray(at, end));
    if (next < 0) break;
    at = next + delimiter.length;
  }
  return pieces;
}
