/** FileCatalog behaviour beyond the conformance suite: its files after crashes and failures. */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { CatalogError } from '../../src/catalog/catalog-error.js';
import { FileCatalog, type FileCatalogOptions } from '../../src/catalog/file-catalog.js';
import { FaultyFileSystem } from '../log/faulty-file-system.js';

interface Harness {
  readonly directory: string;
  readonly fileSystem: FaultyFileSystem;
  readonly logged: string[];
  open(options?: Partial<FileCatalogOptions>): Promise<FileCatalog>;
}

async function withHarness(body: (harness: Harness) => Promise<void>): Promise<void> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-file-catalog-'));
  const fileSystem = new FaultyFileSystem();
  const logged: string[] = [];
  const catalogs: FileCatalog[] = [];
  try {
    await body({
      directory,
      fileSystem,
      logged,
      async open(options = {}) {
        const catalog = new FileCatalog({
          directory,
          fileSystem,
          logger: (message) => logged.push(message),
          ...options,
        });
        catalogs.push(catalog);
        await catalog.open();
        return catalog;
      },
    });
  } finally {
    fileSystem.failWritesWith = undefined;
    fileSystem.failSyncsWith = undefined;
    for (const catalog of catalogs) await catalog.close();
    await fs.rm(directory, { recursive: true, force: true });
  }
}

describe('FileCatalog', () => {
  it('ignores a torn last journal line and keeps every complete one', () =>
    withHarness(async (harness) => {
      const catalog = await harness.open({ journalBytesMax: 1_000_000 });
      await catalog.put('a', 1);
      const version = await catalog.put('b', { deep: [1, 2, 3] });
      // A crash stops the process before close: copy the files as they are on disk now.
      const crashed = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-file-catalog-crashed-'));
      try {
        await fs.cp(harness.directory, crashed, { recursive: true });
        await fs.appendFile(path.join(crashed, 'catalog.journal'), '{"k":"c","v":{"half');
        const logged: string[] = [];
        const recovered = new FileCatalog({ directory: crashed, logger: (message) => logged.push(message) });
        await recovered.open();
        assert.deepEqual(
          (await recovered.list('')).map((entry) => [entry.key, entry.version]),
          [
            ['a', version - 1],
            ['b', version],
          ],
        );
        assert.equal(logged.length, 1);
        // The open compacted: the snapshot holds everything and the journal is empty.
        assert.equal((await fs.stat(path.join(crashed, 'catalog.journal'))).size, 0);
        await recovered.close();
      } finally {
        await fs.rm(crashed, { recursive: true, force: true });
      }
    }));

  it('refuses to open over a bad line that is not the last', () =>
    withHarness(async (harness) => {
      const catalog = await harness.open({ journalBytesMax: 1_000_000 });
      await catalog.put('a', 1);
      await catalog.close();
      await fs.writeFile(
        path.join(harness.directory, 'catalog.journal'),
        'garbage\n{"k":"b","v":2,"ver":9}\n',
      );
      await assert.rejects(
        harness.open(),
        (error: unknown) => error instanceof CatalogError && error.code === 'Corrupt',
      );
    }));

  it('group-commits concurrent writes into few fsyncs', () =>
    withHarness(async (harness) => {
      const catalog = await harness.open();
      const before = harness.fileSystem.datasyncCount;
      await Promise.all(Array.from({ length: 100 }, (_, index) => catalog.put(`key/${index}`, index)));
      const fsyncs = harness.fileSystem.datasyncCount - before;
      assert.ok(fsyncs <= 3, `${fsyncs} fsyncs for 100 writes`);
      assert.equal((await catalog.list('key/')).length, 100);
    }));

  it('rejects writes it cannot make durable, changes nothing, and works once space is freed', () =>
    withHarness(async (harness) => {
      const catalog = await harness.open();
      const version = await catalog.put('k', 'kept');
      harness.fileSystem.failWritesWith = 'ENOSPC';
      harness.fileSystem.partialWriteBytes = 5;
      await assert.rejects(catalog.put('k', 'lost', version), (error: unknown) => {
        assert.ok(error instanceof CatalogError);
        assert.equal(error.code, 'Storage');
        return true;
      });
      assert.deepEqual(await catalog.get('k'), { key: 'k', value: 'kept', version });
      harness.fileSystem.failWritesWith = undefined;
      const next = await catalog.put('k', 'written', version);
      await catalog.close();
      const reopened = await harness.open();
      assert.deepEqual(await reopened.get('k'), { key: 'k', value: 'written', version: next });
      assert.deepEqual(harness.logged, []);
    }));

  it('compacts the journal into a snapshot once it outgrows journalBytesMax', () =>
    withHarness(async (harness) => {
      const catalog = await harness.open({ journalBytesMax: 200 });
      for (let index = 0; index < 20; index++)
        await catalog.put('same-key', { index, padding: 'x'.repeat(20) });
      assert.ok((await fs.stat(path.join(harness.directory, 'catalog.journal'))).size <= 200 + 100);
      const snapshot = await fs.readFile(path.join(harness.directory, 'catalog.snapshot.json'), 'utf8');
      assert.match(snapshot, /same-key/);
      await catalog.close();
      const reopened = await harness.open();
      assert.deepEqual((await reopened.get('same-key'))!.value, { index: 19, padding: 'x'.repeat(20) });
    }));
});
