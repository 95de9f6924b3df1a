import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  FunctionRegistry,
  FunctionRegistryError,
  lookupNames,
  readFunctionSpecs,
} from './function-registry.js';

const directory = mkdtempSync(path.join(tmpdir(), 'tributary-registry-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function registryFile(content: unknown): string {
  const file = path.join(directory, `registry-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

test('a Lambda ARN is looked up as given, without its qualifier, then by function name', () => {
  assert.deepEqual(lookupNames('arn:aws:lambda:us-east-1:123456789012:function:f:prod'), [
    'arn:aws:lambda:us-east-1:123456789012:function:f:prod',
    'arn:aws:lambda:us-east-1:123456789012:function:f',
    'f',
  ]);
  assert.deepEqual(lookupNames('plain-name'), ['plain-name']);
});

test('registry files: module paths relative to the file, defaults, and refused entries', () => {
  const specs = readFunctionSpecs(
    registryFile({ a: { module: './a.mjs' }, b: { url: 'http://127.0.0.1:9/x', timeoutSeconds: 0.5 } }),
  );
  assert.deepEqual(specs, [
    { name: 'a', target: { module: path.join(directory, 'a.mjs') }, timeoutMs: 3000, concurrency: 2 },
    { name: 'b', target: { url: 'http://127.0.0.1:9/x' }, timeoutMs: 500, concurrency: 2 },
  ]);
  for (const [entry, message] of [
    [{ module: 'a.mjs', url: 'http://x/' }, /exactly one of "module"/],
    [{ url: 'ftp://x/' }, /http or https/],
    [{ module: 'a.mjs', timeoutSeconds: 901 }, /timeoutSeconds/],
    [{ module: 'a.mjs', concurrency: 0 }, /concurrency/],
    ['a.mjs', /expected an object/],
  ] as const) {
    assert.throws(
      () => readFunctionSpecs(registryFile({ f: entry })),
      (error: unknown) => {
        assert.ok(error instanceof FunctionRegistryError);
        assert.match(error.message, message);
        assert.match(error.message, /function "f"/);
        return true;
      },
    );
  }
  assert.throws(() => readFunctionSpecs(path.join(directory, 'missing.json')), FunctionRegistryError);
});

test('module functions: results, thrown errors, callback handlers, timeouts and a missing handler', async () => {
  writeFileSync(
    path.join(directory, 'ok.mjs'),
    'let calls = 0; export const handler = async (event) => ({ echo: event, calls: ++calls });',
  );
  writeFileSync(
    path.join(directory, 'throws.mjs'),
    'export async function handler() { throw new TypeError("bad input"); }',
  );
  writeFileSync(
    path.join(directory, 'callback.mjs'),
    'export function handler(event, context, callback) { setTimeout(() => callback(null, { name: context.functionName }), 1); }',
  );
  writeFileSync(path.join(directory, 'spins.mjs'), 'export function handler() { for (;;) {} }');
  writeFileSync(path.join(directory, 'nohandler.mjs'), 'export const other = 1;');
  const registry = new FunctionRegistry(
    readFunctionSpecs(
      registryFile({
        ok: { module: './ok.mjs', concurrency: 1 },
        throws: { module: './throws.mjs' },
        callback: { module: './callback.mjs' },
        spins: { module: './spins.mjs', timeoutSeconds: 0.5, concurrency: 1 },
        nohandler: { module: './nohandler.mjs' },
      }),
    ),
  );
  try {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:ok';
    assert.deepEqual(await registry.invoke(arn, { n: 1 }, 'r1'), {
      ok: true,
      payload: { echo: { n: 1 }, calls: 1 },
    });
    // One warm worker: module state lives on.
    assert.deepEqual(await registry.invoke('ok', { n: 2 }, 'r2'), {
      ok: true,
      payload: { echo: { n: 2 }, calls: 2 },
    });
    assert.deepEqual(await registry.invoke('throws', {}, 'r3'), {
      ok: false,
      failure: { kind: 'FunctionError', message: 'TypeError: bad input' },
    });
    assert.deepEqual(await registry.invoke('callback', {}, 'r4'), {
      ok: true,
      payload: { name: 'callback' },
    });
    const timedOut = await registry.invoke('spins', {}, 'r5');
    assert.equal(timedOut.ok, false);
    assert.equal(!timedOut.ok && timedOut.failure.kind, 'Timeout');
    // A new worker replaces the terminated one.
    assert.equal(((await registry.invoke('spins', {}, 'r6')) as { ok: boolean }).ok, false);
    const missing = await registry.invoke('nohandler', {}, 'r7');
    assert.match(!missing.ok ? missing.failure.message : '', /Runtime\.HandlerNotFound/);
    assert.deepEqual(await registry.invoke('unknown', {}, 'r8'), {
      ok: false,
      failure: { kind: 'ResourceNotFound', message: 'Function not found: unknown' },
    });
  } finally {
    await registry.close();
  }
});
