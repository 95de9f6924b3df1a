import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, resolveConfig } from './config.js';

test('the functions setting names a registry file, checked when the configuration is read', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'tributary-config-'));
  try {
    assert.equal(resolveConfig({}, {}, undefined).functions, '');
    const good = path.join(directory, 'good.json');
    writeFileSync(good, JSON.stringify({ f: { module: './f.mjs' } }));
    assert.equal(resolveConfig({ functions: good }, {}, undefined).functions, good);
    assert.equal(resolveConfig({}, { TRIBUTARY_FUNCTIONS: good }, undefined).functions, good);
    const bad = path.join(directory, 'bad.json');
    writeFileSync(bad, JSON.stringify({ f: { url: 'not a url' } }));
    assert.throws(
      () => resolveConfig({ functions: bad }, {}, undefined),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === `function registry ${bad}, function "f": "not a url" is not a URL`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
