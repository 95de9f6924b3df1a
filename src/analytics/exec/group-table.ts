/**
 * The groups of one open window, found by some of a row's key values without building a string:
 * one Map level per key position (a primitive is its own Map key — Maps compare those by value,
 * -0 and NaN as keyOf does; an object value such as VARBINARY goes through keyOf), the last level
 * holding the group. Groups are also listed in the order they were first seen, which is the order
 * a window emits them in.
 */
import { keyOf } from '../functions/values.js';

/** A key value as a Map key: primitives as they are, objects (VARBINARY, ROW) by content. */
const mapKey = (value: unknown): unknown =>
  typeof value === 'object' && value !== null ? keyOf([value]) : value;

export class GroupTable<G> {
  /** The key positions that identify a group, in nesting order. */
  readonly #positions: readonly number[];
  readonly #create: (keys: readonly unknown[]) => G;
  #root = new Map<unknown, unknown>();
  /** The only group when no key position identifies one (every row of the window in one group). */
  #only: G | undefined = undefined;
  #groups: G[] = [];

  constructor(positions: readonly number[], create: (keys: readonly unknown[]) => G) {
    this.#positions = positions;
    this.#create = create;
  }

  /** The group of `keys` (values at every key position), made with `create` the first time. */
  find(keys: readonly unknown[]): G {
    const positions = this.#positions;
    const last = positions.length - 1;
    if (last < 0) {
      if (this.#only === undefined) this.#only = this.#add(keys);
      return this.#only;
    }
    let level = this.#root;
    for (let i = 0; i < last; i++) {
      const id = mapKey(keys[positions[i]!]);
      let inner = level.get(id) as Map<unknown, unknown> | undefined;
      if (inner === undefined) {
        inner = new Map();
        level.set(id, inner);
      }
      level = inner;
    }
    const id = mapKey(keys[positions[last]!]);
    let group = level.get(id) as G | undefined;
    if (group === undefined) {
      group = this.#add(keys);
      level.set(id, group);
    }
    return group;
  }

  get size(): number {
    return this.#groups.length;
  }

  /** Empties the table and hands back its groups in the order they were first seen. */
  drain(): G[] {
    const groups = this.#groups;
    this.#groups = [];
    this.#root = new Map();
    this.#only = undefined;
    return groups;
  }

  #add(keys: readonly unknown[]): G {
    const group = this.#create(keys);
    this.#groups.push(group);
    return group;
  }
}
