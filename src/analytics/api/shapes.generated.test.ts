import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { inputShapes, operationNames } from './shapes.generated.js';

const botocoreModelPath =
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data/kinesisanalytics/2015-08-14/service-2.json.gz';

test(
  'the committed file matches what the generator writes',
  // As for the other services: the check needs the exact botocore model the file was made from.
  { skip: existsSync(botocoreModelPath) ? false : 'botocore model not installed' },
  () => {
    // This file runs from dist/src/analytics/api/; the script lives at the repository root.
    const script = fileURLToPath(new URL('../../../../scripts/generate-shapes.mjs', import.meta.url));
    execFileSync(
      process.execPath,
      [script, '--check', 'kinesisanalytics', '--model', `kinesisanalytics=${botocoreModelPath}`],
      { stdio: 'pipe' },
    );
  },
);

test('every Kinesis Analytics operation of the model has an input shape', () => {
  assert.equal(operationNames.length, 20);
  assert.deepEqual(Object.keys(inputShapes).sort(), [...operationNames]);
});
