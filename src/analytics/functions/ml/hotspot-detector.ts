/**
 * HOTSPOTS: density-based clustering (DBSCAN) over a sliding window of the last `windowSize`
 * points. Two points are neighbours when their Euclidean distance is at most `scanRadius`; a point
 * with at least `minimumPoints` neighbours (itself included) is a core point; a hotspot is a set
 * of core points linked by neighbourhood plus the points next to them.
 *
 * Each hotspot is reported with its bounding box (minValues, maxValues per dimension) and its
 * density: how many times more points it holds than the window would put in a box that size if
 * its points were spread evenly over the window's own bounding box (each box side is widened by
 * scanRadius so that a flat box still has a volume). Hotspots are listed densest first.
 *
 * State is the window (windowSize points), each point's neighbour set (updated as points enter
 * and leave, so a new row costs its own neighbourhood plus one cluster pass) and a grid of cells
 * scanRadius wide that finds a new point's neighbours without comparing every pair (in up to 4
 * dimensions; beyond that, 3^d cells cost more than scanning the window).
 */
import { assert } from '../../../core/assert.js';

export interface Hotspot {
  readonly density: number;
  readonly minValues: readonly number[];
  readonly maxValues: readonly number[];
}

export interface HotspotOptions {
  readonly dimensions: number;
  readonly windowSize: number;
  readonly scanRadius: number;
  readonly minimumPoints: number;
}

const gridDimensionsMax = 4;

/** A point of the window and its neighbours in the window (itself included), kept up to date. */
interface Member {
  readonly point: readonly number[];
  readonly cell: string;
  readonly neighbours: Set<Member>;
}

export class HotspotDetector {
  readonly #options: HotspotOptions;
  /** The window, oldest first. */
  readonly #window: Member[] = [];
  readonly #grid = new Map<string, Set<Member>>();
  readonly #useGrid: boolean;

  constructor(options: HotspotOptions) {
    assert(options.dimensions > 0 && options.scanRadius > 0, 'hotspot options');
    this.#options = options;
    this.#useGrid = options.dimensions <= gridDimensionsMax;
  }

  /** Adds a point (dropping the oldest beyond the window) and returns the window's hotspots. */
  add(point: readonly number[]): Hotspot[] {
    const cell = this.#useGrid ? this.#cellOf(point).join(',') : '';
    const member: Member = { point, cell, neighbours: new Set() };
    member.neighbours.add(member);
    for (const other of this.#candidates(point)) {
      if (!this.#near(point, other.point)) continue;
      member.neighbours.add(other);
      other.neighbours.add(member);
    }
    this.#window.push(member);
    if (this.#useGrid) this.#cellSet(cell).add(member);
    if (this.#window.length > this.#options.windowSize) this.#drop(this.#window.shift()!);
    return this.hotspots();
  }

  hotspots(): Hotspot[] {
    const { minimumPoints } = this.#options;
    const clustered = new Set<Member>();
    const clusters: Member[][] = [];
    for (const start of this.#window) {
      if (clustered.has(start) || start.neighbours.size < minimumPoints) continue;
      const members: Member[] = [start];
      clustered.add(start);
      for (let i = 0; i < members.length; i++) {
        const around = members[i]!.neighbours;
        if (around.size < minimumPoints) continue; // a border point: in the hotspot, not extending it
        for (const q of around) {
          if (clustered.has(q)) continue;
          clustered.add(q);
          members.push(q);
        }
      }
      clusters.push(members);
    }
    if (clusters.length === 0) return [];
    const windowBox = boundingBox(
      this.#window.map((w) => w.point),
      this.#options.dimensions,
    );
    return clusters
      .map((members) => this.#describe(members, windowBox))
      .sort((a, b) => b.density - a.density);
  }

  #describe(members: readonly Member[], windowBox: { min: number[]; max: number[] }): Hotspot {
    const box = boundingBox(
      members.map((m) => m.point),
      this.#options.dimensions,
    );
    const volume = (b: { min: number[]; max: number[] }): number =>
      b.min.reduce((v, low, i) => v * (b.max[i]! - low + this.#options.scanRadius), 1);
    const expected = (this.#window.length * volume(box)) / volume(windowBox);
    return { density: members.length / expected, minValues: box.min, maxValues: box.max };
  }

  #drop(member: Member): void {
    for (const other of member.neighbours) other.neighbours.delete(member);
    if (!this.#useGrid) return;
    const set = this.#grid.get(member.cell)!;
    set.delete(member);
    if (set.size === 0) this.#grid.delete(member.cell);
  }

  #near(p: readonly number[], q: readonly number[]): boolean {
    let distance = 0;
    for (let i = 0; i < p.length; i++) distance += (p[i]! - q[i]!) ** 2;
    return distance <= this.#options.scanRadius ** 2;
  }

  /** Window members that may lie within scanRadius of `point`: the 3^d cells around it, or all. */
  #candidates(point: readonly number[]): Iterable<Member> {
    if (!this.#useGrid) return this.#window;
    const out: Member[] = [];
    const base = this.#cellOf(point);
    const offsets = [...base];
    const visit = (dimension: number): void => {
      if (dimension === base.length) {
        const set = this.#grid.get(offsets.join(','));
        if (set !== undefined) out.push(...set);
        return;
      }
      for (let delta = -1; delta <= 1; delta++) {
        offsets[dimension] = base[dimension]! + delta;
        visit(dimension + 1);
      }
    };
    visit(0);
    return out;
  }

  #cellOf(point: readonly number[]): number[] {
    return point.map((v) => Math.floor(v / this.#options.scanRadius));
  }

  #cellSet(cell: string): Set<Member> {
    let set = this.#grid.get(cell);
    if (set === undefined) {
      set = new Set();
      this.#grid.set(cell, set);
    }
    return set;
  }
}

function boundingBox(
  points: readonly (readonly number[])[],
  dimensions: number,
): { min: number[]; max: number[] } {
  const min = new Array<number>(dimensions).fill(Infinity);
  const max = new Array<number>(dimensions).fill(-Infinity);
  for (const p of points) {
    for (let i = 0; i < dimensions; i++) {
      if (p[i]! < min[i]!) min[i] = p[i]!;
      if (p[i]! > max[i]!) max[i] = p[i]!;
    }
  }
  return { min, max };
}

/** HOTSPOTS_RESULT: `{"hotspots":[{"density":…,"minValues":[…],"maxValues":[…]},…]}`. */
export const hotspotsJson = (hotspots: readonly Hotspot[]): string => JSON.stringify({ hotspots });
