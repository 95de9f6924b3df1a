import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkJqQuery, JqExtractor } from './jq-extractor.js';

test('jq 1.6 answers one outcome per record, errors per record, and survives bad input', async () => {
  const extractor = new JqExtractor('{id:.id, year:.ts|strftime("%Y")}');
  try {
    const outcomes = await extractor.run([
      '{"id":"a","ts":1700000000}',
      'not json',
      '{"id":"b"}',
      '{"id":"multi\\nline","ts":0}\n',
      '',
    ]);
    assert.equal(outcomes.length, 5);
    assert.deepEqual(outcomes[0], { ok: [{ id: 'a', year: '2023' }] });
    assert.ok('error' in (outcomes[1] as object));
    assert.match((outcomes[2] as { error: string }).error, /strftime/);
    assert.deepEqual(outcomes[3], { ok: [{ id: 'multi\nline', year: '1970' }] });
    assert.ok('error' in (outcomes[4] as object) || (outcomes[4] as { ok: unknown[] }).ok.length === 0);
    // The process stays up for the next buffer.
    assert.deepEqual(await extractor.run(['{"id":"c","ts":0}']), [{ ok: [{ id: 'c', year: '1970' }] }]);
  } finally {
    extractor.close();
  }
});

test('queries are compiled by jq at create time', () => {
  assert.equal(checkJqQuery('{a:.a, b:(.b|tostring)}'), undefined);
  assert.match(checkJqQuery('{a: .a') ?? '', /^jq: error/);
  assert.match(checkJqQuery('nosuchfunction(1)') ?? '', /nosuchfunction/);
});
