/**
 * One robust random cut tree (Guha et al., "Robust Random Cut Forest Based Anomaly Detection on
 * Streams", ICML 2016) over a sample of points. Internal nodes hold a cut (dimension, value) and
 * the bounding box of the points below; leaves hold a point and how many copies of it the sample
 * has. A point goes left when `point[dimension] <= value`.
 *
 * Insertion cuts the box merged with the new point at random (dimension chosen in proportion to
 * its range) and, when the cut separates the point from the box, puts the point in a new leaf
 * there; deletion splices the leaf's parent out. Both keep the tree distributed as if it had been
 * built from scratch on the current sample, which is what lets a sliding sample work.
 *
 * Scoring follows the reference implementation's visitor: from the leaf where the query would
 * land back up to the root, at every node the chance that a random cut of the node's box merged
 * with the query would isolate the query there mixes in the "isolated at this depth" score
 * 1/(depth+1). The sum is normalised by log2(1 + sample mass): an ordinary point scores about 1,
 * a point isolated near the root several times more. The attribution splits the same sum over
 * (dimension, above/below) so that its parts add up to the score.
 */
import { assert } from '../../../core/assert.js';
import type { SeededRandom } from './seeded-random.js';

export type Point = Float64Array;

interface Leaf {
  readonly kind: 'leaf';
  readonly point: Point;
  mass: number;
  parent: Internal | null;
}

interface Internal {
  readonly kind: 'internal';
  readonly dimension: number;
  readonly value: number;
  left: TreeNode;
  right: TreeNode;
  readonly min: Float64Array;
  readonly max: Float64Array;
  mass: number;
  parent: Internal | null;
}

type TreeNode = Leaf | Internal;

/** Attribution of a score to each dimension, split by the side the query lies on. */
export interface Attribution {
  /** Part of the score due to the query lying above the data in each dimension. */
  readonly high: Float64Array;
  /** Part of the score due to the query lying below the data in each dimension. */
  readonly low: Float64Array;
}

const boxMin = (node: TreeNode): Float64Array => (node.kind === 'leaf' ? node.point : node.min);
const boxMax = (node: TreeNode): Float64Array => (node.kind === 'leaf' ? node.point : node.max);
const scoreUnseen = (depth: number): number => 1 / (depth + 1);
const scoreSeen = (depth: number, mass: number): number => 1 / (depth + Math.log2(1 + mass));

function samePoint(a: Point, b: Point): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class RandomCutTree {
  readonly #dimensions: number;
  readonly #random: SeededRandom;
  #root: TreeNode | null = null;

  constructor(dimensions: number, random: SeededRandom) {
    this.#dimensions = dimensions;
    this.#random = random;
  }

  get mass(): number {
    return this.#root?.mass ?? 0;
  }

  insert(point: Point): void {
    assert(point.length === this.#dimensions, 'point dimension');
    if (this.#root === null) {
      this.#root = { kind: 'leaf', point, mass: 1, parent: null };
      return;
    }
    let node: TreeNode = this.#root;
    for (;;) {
      if (node.kind === 'leaf' && samePoint(node.point, point)) {
        node.mass++;
        return;
      }
      const cut = this.#randomCut(node, point);
      const min = boxMin(node);
      const max = boxMax(node);
      if (cut.value < min[cut.dimension]! || cut.value >= max[cut.dimension]!) {
        this.#separate(node, point, cut);
        return;
      }
      // The cut falls inside the node's own box: a leaf's box is a single point, so this is an
      // internal node, and the point goes on down its existing cut.
      assert(node.kind === 'internal', 'a cut inside a leaf box');
      node.mass++;
      for (let i = 0; i < this.#dimensions; i++) {
        if (point[i]! < node.min[i]!) node.min[i] = point[i]!;
        if (point[i]! > node.max[i]!) node.max[i] = point[i]!;
      }
      node = point[node.dimension]! <= node.value ? node.left : node.right;
    }
  }

  /** Removes one copy of `point`, which must be in the tree. */
  delete(point: Point): void {
    let node = this.#root;
    while (node !== null && node.kind === 'internal') {
      node = point[node.dimension]! <= node.value ? node.left : node.right;
    }
    assert(node !== null && samePoint(node.point, point), 'deleting a point the tree does not hold');
    let ancestor = node.parent;
    if (node.mass > 1) {
      node.mass--;
      for (; ancestor !== null; ancestor = ancestor.parent) ancestor.mass--;
      return;
    }
    if (ancestor === null) {
      this.#root = null;
      return;
    }
    const sibling = ancestor.left === node ? ancestor.right : ancestor.left;
    this.#replace(ancestor, sibling);
    for (let up = sibling.parent; up !== null; up = up.parent) {
      up.mass--;
      this.#refit(up);
    }
  }

  /** Checks the structure (masses add up, boxes are the children's union, parents match); for tests. */
  verify(): void {
    const walk = (node: TreeNode, parent: Internal | null): number => {
      assert(node.parent === parent, 'parent link');
      if (node.kind === 'leaf') {
        assert(node.mass > 0, 'leaf mass');
        return node.mass;
      }
      const mass = walk(node.left, node) + walk(node.right, node);
      assert(mass === node.mass, 'internal mass');
      for (let i = 0; i < this.#dimensions; i++) {
        assert(node.min[i] === Math.min(boxMin(node.left)[i]!, boxMin(node.right)[i]!), 'box minimum');
        assert(node.max[i] === Math.max(boxMax(node.left)[i]!, boxMax(node.right)[i]!), 'box maximum');
      }
      assert(boxMax(node.left)[node.dimension]! <= node.value, 'left of the cut');
      assert(boxMin(node.right)[node.dimension]! > node.value, 'right of the cut');
      return mass;
    };
    if (this.#root !== null) walk(this.#root, null);
  }

  /** The normalised anomaly score of `point` against this tree's sample (0 for an empty tree). */
  score(point: Point): number {
    const root = this.#root;
    if (root === null) return 0;
    const { leaf, depth } = this.#descend(point);
    let score = samePoint(leaf.point, point)
      ? damp(leaf.mass, root.mass) * scoreSeen(depth, leaf.mass)
      : scoreUnseen(depth);
    let level = depth - 1;
    for (let node = leaf.parent; node !== null; node = node.parent, level--) {
      const probability = this.#cutProbability(node, point, null);
      if (probability === 0) break; // inside this box, hence inside every box above it
      score = probability * scoreUnseen(level) + (1 - probability) * score;
    }
    return score * Math.log2(1 + root.mass);
  }

  /** The score split over dimensions and sides; high and low together sum to `score(point)`. */
  attribution(point: Point): Attribution {
    const d = this.#dimensions;
    const high = new Float64Array(d);
    const low = new Float64Array(d);
    const root = this.#root;
    if (root === null) return { high, low };
    const { leaf, depth } = this.#descend(point);
    if (samePoint(leaf.point, point)) {
      const share = (damp(leaf.mass, root.mass) * scoreSeen(depth, leaf.mass)) / (2 * d);
      high.fill(share);
      low.fill(share);
    } else {
      this.#cutProbability(leaf, point, { high, low });
      const total = sum(high) + sum(low);
      scale(high, scoreUnseen(depth) / total);
      scale(low, scoreUnseen(depth) / total);
    }
    const stepHigh = new Float64Array(d);
    const stepLow = new Float64Array(d);
    let level = depth - 1;
    for (let node = leaf.parent; node !== null; node = node.parent, level--) {
      const probability = this.#cutProbability(node, point, { high: stepHigh, low: stepLow });
      if (probability === 0) break;
      const unseen = scoreUnseen(level);
      for (let i = 0; i < d; i++) {
        high[i] = stepHigh[i]! * unseen + (1 - probability) * high[i]!;
        low[i] = stepLow[i]! * unseen + (1 - probability) * low[i]!;
      }
    }
    const normaliser = Math.log2(1 + root.mass);
    scale(high, normaliser);
    scale(low, normaliser);
    return { high, low };
  }

  /**
   * The probability that a random cut of the node's box merged with `point` separates the point;
   * with `parts`, also each dimension's share on each side (they sum to the probability).
   */
  #cutProbability(
    node: TreeNode,
    point: Point,
    parts: { high: Float64Array; low: Float64Array } | null,
  ): number {
    const min = boxMin(node);
    const max = boxMax(node);
    let mergedRange = 0;
    let outside = 0;
    for (let i = 0; i < this.#dimensions; i++) {
      const above = Math.max(point[i]! - max[i]!, 0);
      const below = Math.max(min[i]! - point[i]!, 0);
      mergedRange += max[i]! - min[i]! + above + below;
      outside += above + below;
      if (parts !== null) {
        parts.high[i] = above;
        parts.low[i] = below;
      }
    }
    if (outside === 0 || mergedRange === 0) return 0;
    if (parts !== null) {
      scale(parts.high, 1 / mergedRange);
      scale(parts.low, 1 / mergedRange);
    }
    return outside / mergedRange;
  }

  #descend(point: Point): { leaf: Leaf; depth: number } {
    let node = this.#root!;
    let depth = 0;
    while (node.kind === 'internal') {
      node = point[node.dimension]! <= node.value ? node.left : node.right;
      depth++;
    }
    return { leaf: node, depth };
  }

  /** A cut of the box of `node` merged with `point`, dimension in proportion to its range. */
  #randomCut(node: TreeNode, point: Point): { dimension: number; value: number } {
    const min = boxMin(node);
    const max = boxMax(node);
    let total = 0;
    for (let i = 0; i < this.#dimensions; i++) {
      total += Math.max(max[i]!, point[i]!) - Math.min(min[i]!, point[i]!);
    }
    assert(total > 0, 'cutting a box of no extent');
    let r = this.#random.next() * total;
    let last = -1;
    for (let dimension = 0; dimension < this.#dimensions; dimension++) {
      const low = Math.min(min[dimension]!, point[dimension]!);
      const range = Math.max(max[dimension]!, point[dimension]!) - low;
      if (range === 0) continue;
      last = dimension;
      if (r < range) {
        // Rounding can land on the top of the range, which would cut nothing off: use the bottom.
        const value = low + r;
        return { dimension, value: value < low + range ? value : low };
      }
      r -= range;
    }
    // Rounding left r just past the total: cut the last dimension with extent at its bottom.
    return { dimension: last, value: Math.min(min[last]!, point[last]!) };
  }

  #separate(node: TreeNode, point: Point, cut: { dimension: number; value: number }): void {
    const leaf: Leaf = { kind: 'leaf', point, mass: 1, parent: null };
    const pointLeft = point[cut.dimension]! <= cut.value;
    const nodeMin = boxMin(node);
    const nodeMax = boxMax(node);
    const min = new Float64Array(this.#dimensions);
    const max = new Float64Array(this.#dimensions);
    for (let i = 0; i < this.#dimensions; i++) {
      min[i] = Math.min(nodeMin[i]!, point[i]!);
      max[i] = Math.max(nodeMax[i]!, point[i]!);
    }
    const parent = node.parent;
    const joined: Internal = {
      kind: 'internal',
      dimension: cut.dimension,
      value: cut.value,
      left: pointLeft ? leaf : node,
      right: pointLeft ? node : leaf,
      min,
      max,
      mass: node.mass + 1,
      parent,
    };
    if (parent === null) this.#root = joined;
    else if (parent.left === node) parent.left = joined;
    else parent.right = joined;
    node.parent = joined;
    leaf.parent = joined;
    // The ancestors' masses and boxes already count the point: insert() grew them on the way down.
  }

  /** Puts `child` where `node` was. */
  #replace(node: Internal, child: TreeNode): void {
    const parent = node.parent;
    child.parent = parent;
    if (parent === null) this.#root = child;
    else if (parent.left === node) parent.left = child;
    else parent.right = child;
  }

  #refit(node: Internal): void {
    const leftMin = boxMin(node.left);
    const leftMax = boxMax(node.left);
    const rightMin = boxMin(node.right);
    const rightMax = boxMax(node.right);
    for (let i = 0; i < this.#dimensions; i++) {
      node.min[i] = Math.min(leftMin[i]!, rightMin[i]!);
      node.max[i] = Math.max(leftMax[i]!, rightMax[i]!);
    }
  }
}

/** A point the sample holds many copies of is less surprising: its score is damped. */
const damp = (leafMass: number, treeMass: number): number => 1 - leafMass / (2 * treeMass);

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function scale(values: Float64Array, factor: number): void {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor;
}
