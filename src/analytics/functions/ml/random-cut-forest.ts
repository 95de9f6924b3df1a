/**
 * A random cut forest over a stream: `numberOfTrees` trees, each over its own time-decayed
 * sample of at most `sampleSize` points. Each point offered gets the priority
 * `log(-log(u)) - index / timeDecay` (u uniform) and a tree keeps the sampleSize points of lowest
 * priority: a weighted reservoir in which recent points are favoured, the more so the smaller
 * timeDecay. State is bounded: numberOfTrees × sampleSize points whatever the stream's length.
 */
import type { Attribution, Point } from './random-cut-tree.js';
import { RandomCutTree } from './random-cut-tree.js';
import { SeededRandom } from './seeded-random.js';

export interface ForestOptions {
  readonly dimensions: number;
  readonly numberOfTrees: number;
  readonly sampleSize: number;
  readonly timeDecay: number;
  readonly seed: number;
}

interface Sampled {
  readonly priority: number;
  readonly point: Point;
}

/** One tree and its sample, kept as a max-heap on priority so the weakest point is at the top. */
class SampledTree {
  readonly tree: RandomCutTree;
  readonly sample: Sampled[] = [];
  readonly #capacity: number;

  constructor(tree: RandomCutTree, capacity: number) {
    this.tree = tree;
    this.#capacity = capacity;
  }

  offer(point: Point, priority: number): void {
    if (this.sample.length < this.#capacity) {
      this.sample.push({ priority, point });
      this.#siftUp(this.sample.length - 1);
      this.tree.insert(point);
      return;
    }
    const weakest = this.sample[0]!;
    if (priority >= weakest.priority) return;
    this.tree.delete(weakest.point);
    this.sample[0] = { priority, point };
    this.#siftDown(0);
    this.tree.insert(point);
  }

  #siftUp(index: number): void {
    const heap = this.sample;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.priority >= heap[index]!.priority) return;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  #siftDown(index: number): void {
    const heap = this.sample;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let largest = index;
      if (left < heap.length && heap[left]!.priority > heap[largest]!.priority) largest = left;
      if (right < heap.length && heap[right]!.priority > heap[largest]!.priority) largest = right;
      if (largest === index) return;
      [heap[largest], heap[index]] = [heap[index]!, heap[largest]!];
      index = largest;
    }
  }
}

export class RandomCutForest {
  readonly #options: ForestOptions;
  readonly #random: SeededRandom;
  readonly #trees: SampledTree[] = [];
  #seen = 0;

  constructor(options: ForestOptions) {
    this.#options = options;
    this.#random = new SeededRandom(options.seed);
    for (let i = 0; i < options.numberOfTrees; i++) {
      const tree = new RandomCutTree(options.dimensions, new SeededRandom(options.seed + i + 1));
      this.#trees.push(new SampledTree(tree, options.sampleSize));
    }
  }

  /** How many points update() has been given. */
  get seen(): number {
    return this.#seen;
  }

  /** How many points each tree holds (at most sampleSize). */
  sampleSizes(): number[] {
    return this.#trees.map((t) => t.tree.mass);
  }

  /** The average over the trees of the point's anomaly score. */
  score(point: Point): number {
    let total = 0;
    for (const t of this.#trees) total += t.tree.score(point);
    return total / this.#trees.length;
  }

  /** The average over the trees of the score's attribution (it sums to score(point)). */
  attribution(point: Point): Attribution {
    const d = this.#options.dimensions;
    const high = new Float64Array(d);
    const low = new Float64Array(d);
    for (const t of this.#trees) {
      const a = t.tree.attribution(point);
      for (let i = 0; i < d; i++) {
        high[i] = high[i]! + a.high[i]! / this.#trees.length;
        low[i] = low[i]! + a.low[i]! / this.#trees.length;
      }
    }
    return { high, low };
  }

  update(point: Point): void {
    const index = this.#seen++;
    for (const t of this.#trees) {
      const priority = Math.log(-Math.log(this.#random.nextPositive())) - index / this.#options.timeDecay;
      t.offer(point, priority);
    }
  }

  /** Mean and standard deviation of one dimension over the first tree's sample (the recent data). */
  sampleStatistics(dimension: number): { mean: number; deviation: number } {
    const sample = this.#trees[0]?.sample ?? [];
    if (sample.length === 0) return { mean: 0, deviation: 0 };
    let mean = 0;
    for (const s of sample) mean += s.point[dimension]!;
    mean /= sample.length;
    let variance = 0;
    for (const s of sample) variance += (s.point[dimension]! - mean) ** 2;
    return { mean, deviation: Math.sqrt(variance / sample.length) };
  }
}
