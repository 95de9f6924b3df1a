import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ServiceError } from '../core/errors.js';
import { validateInput } from '../protocol/validate.js';
import { inputShapes, operationNames } from './shapes.generated.js';

const botocoreModelPath =
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data/glue/2017-03-31/service-2.json.gz';

test(
  'the committed file matches what the generator writes',
  // As for the Kinesis shapes: the check needs the exact botocore model the file was made from.
  { skip: existsSync(botocoreModelPath) ? false : 'botocore model not installed' },
  () => {
    const script = fileURLToPath(new URL('../../../scripts/generate-shapes.mjs', import.meta.url));
    execFileSync(process.execPath, [script, '--check', 'glue', '--model', `glue=${botocoreModelPath}`], {
      stdio: 'pipe',
    });
  },
);

test('the implemented operations have input shapes; the model lists the rest', () => {
  assert.deepEqual(Object.keys(inputShapes).sort(), [
    'CreateDatabase',
    'CreateTable',
    'DeleteDatabase',
    'DeleteTable',
    'GetDatabase',
    'GetDatabases',
    'GetTable',
    'GetTables',
    'UpdateTable',
  ]);
  assert.ok(operationNames.includes('GetPartitions'));
  assert.ok(operationNames.length > 200);
});

test("Glue's name pattern takes any Unicode text, supplementary planes included, but no control characters", () => {
  const accepts = (name: string) => validateInput(inputShapes.GetDatabase, { Name: name });
  accepts('sales db');
  accepts('données😀');
  assert.throws(
    () => accepts('bad\u0001name'),
    (error: unknown) =>
      error instanceof ServiceError &&
      error.code === 'ValidationException' &&
      error.message.startsWith(
        "1 validation error detected: Value 'bad\u0001name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern",
      ),
  );
});
