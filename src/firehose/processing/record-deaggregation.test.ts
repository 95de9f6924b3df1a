import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregate } from '../../core/kpl-aggregation.js';
import { deAggregate, splitJson } from './record-deaggregation.js';

const texts = (pieces: readonly Buffer[]): string[] => pieces.map((piece) => piece.toString('utf8'));

test('JSON de-aggregation splits consecutive objects and arrays, whatever is between them', () => {
  assert.deepEqual(texts(splitJson(Buffer.from('{"a":1}{"b":"}{"}\n\t [1,{"c":[2]}]  {"d":"\\"{"}'))), [
    '{"a":1}',
    '{"b":"}{"}',
    '[1,{"c":[2]}]',
    '{"d":"\\"{"}',
  ]);
  // Not a sequence of objects: kept whole, for a later step to report.
  assert.deepEqual(texts(splitJson(Buffer.from('{"a":1} 42'))), ['{"a":1} 42']);
  assert.deepEqual(texts(splitJson(Buffer.from('{"a":1'))), ['{"a":1']);
  assert.deepEqual(texts(splitJson(Buffer.from('plain text'))), ['plain text']);
});

test('delimited de-aggregation splits on the delimiter and drops empty pieces', () => {
  const settings = { subRecordType: 'DELIMITED' as const, delimiter: Buffer.from('##') };
  assert.deepEqual(texts(deAggregate(Buffer.from('##a##b####c##'), settings)), ['a', 'b', 'c']);
  assert.deepEqual(texts(deAggregate(Buffer.from('no delimiter'), settings)), ['no delimiter']);
});

test('KPL aggregated records are unpacked before the JSON split', () => {
  const kpl = aggregate([
    { partitionKey: 'p', data: Buffer.from('{"n":1}{"n":2}') },
    { partitionKey: 'q', data: Buffer.from('{"n":3}') },
  ]);
  assert.deepEqual(texts(deAggregate(kpl, { subRecordType: 'JSON' })), ['{"n":1}', '{"n":2}', '{"n":3}']);
});
