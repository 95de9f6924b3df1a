/** The random cut tree's structure under inserts and deletes, its scores, and the forest's bounded sample. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomCutForest } from './random-cut-forest.js';
import { RandomCutTree } from './random-cut-tree.js';
import { SeededRandom } from './seeded-random.js';

const point = (...values: number[]): Float64Array => Float64Array.from(values);

describe('random cut tree', () => {
  it('keeps masses, boxes and cuts consistent through inserts, duplicates and deletes', () => {
    const random = new SeededRandom(1);
    const tree = new RandomCutTree(3, new SeededRandom(2));
    const points = Array.from({ length: 200 }, (_, i) =>
      i % 10 === 0
        ? point(1, 2, 3)
        : point(random.next(), random.next() * 100, Math.floor(random.next() * 4)),
    );
    for (const p of points) {
      tree.insert(p);
      tree.verify();
    }
    assert.equal(tree.mass, 200);
    // Delete in a shuffled order: every intermediate tree is well formed.
    const order = points.map((_, i) => [random.next(), i] as const).sort((a, b) => a[0] - b[0]);
    for (const [, i] of order) {
      tree.delete(point(...points[i]!));
      tree.verify();
    }
    assert.equal(tree.mass, 0);
    assert.equal(tree.score(point(1, 2, 3)), 0);
  });

  it('refuses to delete a point it does not hold (a programmer error)', () => {
    const tree = new RandomCutTree(1, new SeededRandom(3));
    tree.insert(point(1));
    tree.insert(point(2));
    assert.throws(() => tree.delete(point(3)), /deleting a point the tree does not hold/);
  });

  it('scores a far point above a point inside the data, and its attribution sums to the score', () => {
    const random = new SeededRandom(4);
    const tree = new RandomCutTree(2, new SeededRandom(5));
    for (let i = 0; i < 256; i++) tree.insert(point(random.next(), random.next()));
    const inside = tree.score(point(0.5, 0.5));
    const far = tree.score(point(0.5, 9));
    assert.ok(far > 3 * inside, `${far} vs ${inside}`);
    const { high, low } = tree.attribution(point(0.5, 9));
    assert.ok(Math.abs(high[0]! + high[1]! + low[0]! + low[1]! - far) < 1e-9);
    // The point lies above the data in dimension 1 only.
    assert.ok(high[1]! > 0.9 * far, `${String(high)} ${far}`);
    assert.equal(low[1], 0);
  });
});

describe('random cut forest', () => {
  it('holds at most sampleSize points per tree however long the stream', () => {
    const random = new SeededRandom(6);
    const forest = new RandomCutForest({
      dimensions: 2,
      numberOfTrees: 5,
      sampleSize: 32,
      timeDecay: 100,
      seed: 7,
    });
    for (let i = 0; i < 2000; i++) forest.update(point(random.next(), random.next()));
    assert.deepEqual(forest.sampleSizes(), [32, 32, 32, 32, 32]);
    assert.equal(forest.seen, 2000);
  });

  it('forgets the past faster with a smaller timeDecay', () => {
    // 500 points at 0, then 500 at 10: a short memory samples mostly the recent level.
    const recentShare = (timeDecay: number): number => {
      const forest = new RandomCutForest({
        dimensions: 1,
        numberOfTrees: 20,
        sampleSize: 50,
        timeDecay,
        seed: 8,
      });
      for (let i = 0; i < 1000; i++) forest.update(point(i < 500 ? i / 1000 : 10 + i / 1000));
      return forest.sampleStatistics(0).mean / 10;
    };
    const short = recentShare(100);
    const long = recentShare(1_000_000);
    assert.ok(short > 0.95, String(short));
    assert.ok(long > 0.3 && long < 0.7, String(long));
  });
});
