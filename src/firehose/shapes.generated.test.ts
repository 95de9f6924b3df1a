import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { limits } from '../core/limits.js';
import type { Shape } from '../protocol/shape.js';
import { wholeMatch } from '../protocol/validate.js';
import { inputShapes, operationNames } from './shapes.generated.js';

const botocoreModelPath =
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data/firehose/2015-08-04/service-2.json.gz';

test(
  'the committed file matches what the generator writes',
  { skip: existsSync(botocoreModelPath) ? false : 'botocore model not installed' },
  () => {
    // This file runs from dist/src/firehose/; the script lives at the repository root.
    const script = fileURLToPath(new URL('../../../scripts/generate-shapes.mjs', import.meta.url));
    execFileSync(
      process.execPath,
      [script, '--check', 'firehose', '--model', `firehose=${botocoreModelPath}`],
      {
        stdio: 'pipe',
      },
    );
  },
);

test('every Firehose operation of the model has an input shape', () => {
  assert.deepEqual(Object.keys(inputShapes).sort(), [...operationNames]);
  assert.ok(operationNames.includes('PutRecordBatch'));
  for (const name of operationNames) assert.equal(inputShapes[name].type, 'structure');
});

test('every Firehose model pattern compiles as a JavaScript regular expression', () => {
  const seen = new Set<Shape>();
  const walk = (shape: Shape): void => {
    if (seen.has(shape)) return;
    seen.add(shape);
    if (shape.type === 'string' && shape.pattern !== undefined)
      assert.doesNotThrow(() => wholeMatch(shape.pattern!), shape.pattern);
    if (shape.type === 'structure') Object.values(shape.members).forEach(walk);
    if (shape.type === 'list') walk(shape.member);
    if (shape.type === 'map') [shape.key, shape.value].forEach(walk);
  };
  Object.values(inputShapes).forEach(walk);
  assert.ok(seen.size > 100);
});

test('Firehose model limits agree with core/limits.ts', () => {
  const batch = inputShapes.PutRecordBatch.members.Records;
  assert.equal(batch.max, limits.putRecordBatchCountMax);
  assert.equal(batch.member.members.Data.max, limits.firehoseRecordBytesMax);
  assert.equal(inputShapes.PutRecord.members.Record.members.Data.max, limits.firehoseRecordBytesMax);
  const hints =
    inputShapes.CreateDeliveryStream.members.ExtendedS3DestinationConfiguration.members.BufferingHints;
  assert.equal(hints.members.IntervalInSeconds.max, limits.s3BufferIntervalSecondsMax);
  assert.ok(limits.s3BufferSizeMiBDefault <= (hints.members.SizeInMBs.max ?? 0));
  assert.ok(limits.s3BufferIntervalSecondsDefault <= limits.s3BufferIntervalSecondsMax);
  assert.equal(inputShapes.TagDeliveryStream.members.Tags.max, limits.tagsPerDeliveryStreamMax);
  // A full PutRecordBatch in base64 JSON fits in one request body.
  assert.ok(Math.ceil(limits.putRecordBatchBytesMax / 3) * 4 + 64 * 1024 < limits.requestBodyBytesMax);
});
