import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ServiceError } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { Shape, StructureShape } from '../protocol/shape.js';
import { validateInput, wholeMatch } from '../protocol/validate.js';
import { inputShapes, operationNames } from './shapes.generated.js';

function validationMessage(shape: StructureShape, body: unknown): string {
  try {
    validateInput(shape, body);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'ValidationException');
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

const botocoreModelPath =
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data/kinesis/2013-12-02/service-2.json.gz';

test(
  'the committed file matches what the generator writes',
  { skip: existsSync(botocoreModelPath) ? false : 'botocore model not installed' },
  () => {
    // This file runs from dist/src/streams/; the script lives at the repository root.
    const script = fileURLToPath(new URL('../../../scripts/generate-shapes.mjs', import.meta.url));
    execFileSync(
      process.execPath,
      [script, '--check', 'kinesis', '--model', `kinesis=${botocoreModelPath}`],
      {
        stdio: 'pipe',
      },
    );
  },
);

test('every operation of the model has an input shape', () => {
  assert.equal(operationNames.length, 39);
  assert.deepEqual(Object.keys(inputShapes).sort(), [...operationNames]);
  for (const name of operationNames) assert.equal(inputShapes[name].type, 'structure');
});

test('every model pattern compiles as a JavaScript regular expression', () => {
  const seen = new Set<Shape>();
  const walk = (shape: Shape): void => {
    if (seen.has(shape)) return;
    seen.add(shape);
    if (shape.type === 'string' && shape.pattern !== undefined)
      assert.doesNotThrow(() => wholeMatch(shape.pattern!));
    if (shape.type === 'structure') Object.values(shape.members).forEach(walk);
    if (shape.type === 'list') walk(shape.member);
    if (shape.type === 'map') [shape.key, shape.value].forEach(walk);
  };
  Object.values(inputShapes).forEach(walk);
  assert.ok(seen.size > 50);
});

test('model limits agree with core/limits.ts', () => {
  const records = inputShapes.PutRecords.members.Records;
  assert.equal(records.max, limits.putRecordsCountMax);
  assert.equal(records.member.members.Data.max, limits.recordDataBytesModelMax);
  assert.equal(records.member.members.PartitionKey.max, limits.partitionKeyLengthMax);
  assert.equal(inputShapes.GetRecords.members.ShardIterator.max, limits.shardIteratorLengthMax);
  assert.equal(inputShapes.CreateStream.members.StreamName.max, limits.streamNameLengthMax);
});

test('PutRecords with 501 records', () => {
  const records = Array.from({ length: 501 }, () => ({ Data: 'AA==', PartitionKey: 'k' }));
  const message = validationMessage(inputShapes.PutRecords, { StreamName: 's', Records: records });
  assert.match(
    message,
    /^1 validation error detected: Value '\[\{Data=java\.nio\.HeapByteBuffer\[pos=0 lim=1 cap=1\], PartitionKey=k\}, /,
  );
  assert.match(
    message,
    / at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/,
  );
});

test('PutRecords with a bad record reports its path', () => {
  const message = validationMessage(inputShapes.PutRecords, {
    StreamName: 's',
    Records: [
      { Data: 'AA==', PartitionKey: 'k' },
      { Data: 'AA==', PartitionKey: '', ExplicitHashKey: 'x' },
    ],
  });
  assert.equal(
    message,
    // Model order within PutRecordsRequestEntry: Data, ExplicitHashKey, PartitionKey.
    "2 validation errors detected: Value 'x' at 'records.2.member.explicitHashKey' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); ' +
      "Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: " +
      'Member must have length greater than or equal to 1',
  );
});

test('GetRecords without ShardIterator', () => {
  assert.equal(
    validationMessage(inputShapes.GetRecords, {}),
    "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null",
  );
});

test('GetRecords Limit over 10000', () => {
  assert.equal(
    validationMessage(inputShapes.GetRecords, { ShardIterator: 'it', Limit: 10001 }),
    "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: " +
      'Member must have value less than or equal to 10000',
  );
});

test('StreamName with a space fails the pattern', () => {
  assert.equal(
    validationMessage(inputShapes.DescribeStreamSummary, { StreamName: 'a b' }),
    "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+',
  );
});

test('GetShardIterator reports members in model order', () => {
  assert.equal(
    validationMessage(inputShapes.GetShardIterator, { StreamName: '', ShardIteratorType: 'NEWEST' }),
    "4 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; ' +
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value null at 'shardId' failed to satisfy constraint: Member must not be null; " +
      "Value 'NEWEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: " +
      '[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]',
  );
});

test('EnableEnhancedMonitoring reports a bad metric at the list', () => {
  assert.equal(
    validationMessage(inputShapes.EnableEnhancedMonitoring, {
      StreamName: 's',
      ShardLevelMetrics: ['Bytes'],
    }),
    "1 validation error detected: Value '[Bytes]' at 'shardLevelMetrics' failed to satisfy constraint: " +
      'Member must satisfy constraint: [Member must satisfy enum value set: [IncomingBytes, IncomingRecords, ' +
      'OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, ' +
      'IteratorAgeMilliseconds, ALL]]',
  );
});

test('CreateStream nested structure member', () => {
  assert.equal(
    validationMessage(inputShapes.CreateStream, { StreamName: 's', ShardCount: 0, StreamModeDetails: {} }),
    "2 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 1; ' +
      "Value null at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must not be null",
  );
});

test('a valid PutRecord body is normalized and typed', () => {
  const input = validateInput(inputShapes.PutRecord, {
    StreamName: 'stream',
    Data: 'aGVsbG8=',
    PartitionKey: 'pk',
    Ignored: 1,
  });
  const partitionKey: string = input.PartitionKey;
  assert.equal(partitionKey, 'pk');
  assert.deepEqual(input.Data, Buffer.from('hello'));
  assert.deepEqual(Object.keys(input), ['StreamName', 'Data', 'PartitionKey']);
});

test('GetShardIterator Timestamp from JSON seconds and CBOR Date', () => {
  const base = { StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' };
  const fromJson = validateInput(inputShapes.GetShardIterator, { ...base, Timestamp: 1722800000 });
  assert.deepEqual(fromJson.Timestamp, new Date(1722800000000));
  const fromCbor = validateInput(inputShapes.GetShardIterator, {
    ...base,
    Timestamp: new Date(1722800000000),
  });
  assert.deepEqual(fromCbor.Timestamp, new Date(1722800000000));
});
