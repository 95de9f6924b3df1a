/**
 * The Catalog conformance suite, run by every implementation (memory, file, JetStream KV):
 * versions, compare-and-set, prefix listing in key order, copies, and durability.
 *
 * `makeCatalog` gives an opened catalog over fresh storage; `reopen` (durable catalogs) opens a
 * new one over the same storage after the suite closed the first; `cleanup` closes and removes.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogConflictError, type Catalog } from '../../src/catalog/catalog.js';

export interface CatalogFixture {
  readonly catalog: Catalog;
  readonly reopen?: () => Promise<Catalog>;
  readonly cleanup: () => Promise<void>;
}

export async function rejectsWithConflict(
  promise: Promise<unknown>,
  key: string,
  expectedVersion: number,
  actualVersion: number,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof CatalogConflictError, `expected a conflict, got ${String(error)}`);
    assert.deepEqual(
      [error.key, error.expectedVersion, error.actualVersion],
      [key, expectedVersion, actualVersion],
    );
    return true;
  });
}

/** `durable`: the implementation keeps its data across close and reopen (its fixture gives `reopen`). */
export function catalogSuite(
  name: string,
  makeCatalog: () => Promise<CatalogFixture>,
  options: { readonly durable: boolean },
): void {
  async function withCatalog(body: (fixture: CatalogFixture) => Promise<void>): Promise<void> {
    const fixture = await makeCatalog();
    try {
      await body(fixture);
    } finally {
      await fixture.cleanup();
    }
  }

  describe(`Catalog conformance: ${name}`, () => {
    it('puts and gets values with growing positive versions', () =>
      withCatalog(async ({ catalog }) => {
        assert.equal(await catalog.get('streams/a'), undefined);
        const first = await catalog.put('streams/a', { status: 'CREATING', shards: [1, 2] });
        assert.ok(first > 0);
        assert.deepEqual(await catalog.get('streams/a'), {
          key: 'streams/a',
          value: { status: 'CREATING', shards: [1, 2] },
          version: first,
        });
        const second = await catalog.put('streams/a', { status: 'ACTIVE' });
        assert.ok(second > first);
        assert.equal((await catalog.get('streams/a'))!.version, second);
        for (const value of [null, 0, 'text', [1, 'two'], true]) {
          await catalog.put('values/x', value);
          assert.deepEqual((await catalog.get('values/x'))!.value, value);
        }
      }));

    it('compare-and-set: 0 means absent, a stale version conflicts', () =>
      withCatalog(async ({ catalog }) => {
        const created = await catalog.put('k', 1, 0);
        await rejectsWithConflict(catalog.put('k', 2, 0), 'k', 0, created);
        await rejectsWithConflict(catalog.put('k', 2, created + 1), 'k', created + 1, created);
        await rejectsWithConflict(catalog.put('missing', 2, 5), 'missing', 5, 0);
        const updated = await catalog.put('k', 3, created);
        assert.ok(updated > created);
        await rejectsWithConflict(catalog.put('k', 4, created), 'k', created, updated);
        assert.deepEqual(await catalog.get('k'), { key: 'k', value: 3, version: updated });
      }));

    it('lets exactly one of many concurrent creates win', () =>
      withCatalog(async ({ catalog }) => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, index) => catalog.put('lock', index, 0)),
        );
        const winners = results.filter((result) => result.status === 'fulfilled');
        assert.equal(winners.length, 1);
        for (const result of results) {
          if (result.status === 'rejected') assert.ok(result.reason instanceof CatalogConflictError);
        }
        const winner = results.findIndex((result) => result.status === 'fulfilled');
        assert.equal((await catalog.get('lock'))!.value, winner);
      }));

    it('applies concurrent unconditional writes in call order', () =>
      withCatalog(async ({ catalog }) => {
        const versions = await Promise.all(
          Array.from({ length: 20 }, (_, index) => catalog.put('counter', index)),
        );
        for (let index = 1; index < versions.length; index++)
          assert.ok(versions[index]! > versions[index - 1]!);
        assert.deepEqual(await catalog.get('counter'), {
          key: 'counter',
          value: 19,
          version: versions.at(-1),
        });
      }));

    it('deletes, conditionally or not; a re-created key gets a larger version', () =>
      withCatalog(async ({ catalog }) => {
        const version = await catalog.put('k', 'v');
        await rejectsWithConflict(catalog.delete('k', version + 1), 'k', version + 1, version);
        await catalog.delete('k', version);
        assert.equal(await catalog.get('k'), undefined);
        await catalog.delete('k');
        await catalog.delete('never');
        await rejectsWithConflict(catalog.delete('never', 3), 'never', 3, 0);
        const recreated = await catalog.put('k', 'again', 0);
        assert.ok(recreated > version);
      }));

    it('lists by prefix in key order', () =>
      withCatalog(async ({ catalog }) => {
        for (const key of ['streams/b', 'shards/a/1', 'streams/a', 'streams/a/x', 'streamsX', 'streams/B']) {
          await catalog.put(key, key.length);
        }
        assert.deepEqual(
          (await catalog.list('streams/')).map((entry) => entry.key),
          ['streams/B', 'streams/a', 'streams/a/x', 'streams/b'],
        );
        assert.deepEqual(await catalog.list('nothing/'), []);
        assert.equal((await catalog.list('')).length, 6);
        const [entry] = await catalog.list<number>('streams/a/');
        assert.deepEqual(entry, {
          key: 'streams/a/x',
          value: 11,
          version: (await catalog.get('streams/a/x'))!.version,
        });
      }));

    it('hands out copies: changing a value read or written changes nothing stored', () =>
      withCatalog(async ({ catalog }) => {
        const value = { list: [1, 2] };
        await catalog.put('k', value);
        value.list.push(3);
        const read = await catalog.get<{ list: number[] }>('k');
        read!.value.list.push(4);
        assert.deepEqual((await catalog.get('k'))!.value, { list: [1, 2] });
      }));

    const durableIt = options.durable ? it : () => undefined;
    durableIt('keeps entries, deletes and versions across close and reopen', async () => {
      const fixture = await makeCatalog();
      try {
        assert.ok(fixture.reopen !== undefined, 'a durable catalog fixture must be able to reopen');
        const { catalog } = fixture;
        const kept = await catalog.put('streams/kept', { n: 1 });
        await catalog.put('streams/gone', 'x');
        await catalog.delete('streams/gone');
        const updated = await catalog.put('streams/updated', 'old');
        const latest = await catalog.put('streams/updated', 'new', updated);
        await catalog.close();
        const reopened = await fixture.reopen();
        assert.deepEqual(await reopened.list('streams/'), [
          { key: 'streams/kept', value: { n: 1 }, version: kept },
          { key: 'streams/updated', value: 'new', version: latest },
        ]);
        const next = await reopened.put('streams/kept', { n: 2 }, kept);
        assert.ok(next > latest);
        await reopened.close();
      } finally {
        await fixture.cleanup();
      }
    });
  });
}
