/**
 * Wake-ups for readers that wait at the tip of a log: enhanced fan-out subscriptions are pushed
 * records as soon as an append is durable, instead of polling. The write path notifies a log id
 * after its append resolved; the service notifies a stream key after its catalog entry changed
 * (a reshard closed a shard, the stream was deleted).
 *
 * A listener is a plain callback held until it is removed; it must be cheap (set a flag, resolve
 * a promise). Notifying a key nobody listens to costs one map lookup.
 */

export type ChangeListener = () => void;

export class ChangeSignal {
  readonly #listeners = new Map<string, Set<ChangeListener>>();
  readonly #anyListeners = new Set<(key: string) => void>();

  /** Calls `listener` on every notification of `key` until the returned function is called. */
  listen(key: string, listener: ChangeListener): () => void {
    let set = this.#listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      const current = this.#listeners.get(key);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.#listeners.delete(key);
    };
  }

  /** Calls `listener` with every notified key (for bookkeeping that spans keys). */
  listenAll(listener: (key: string) => void): () => void {
    this.#anyListeners.add(listener);
    return () => this.#anyListeners.delete(listener);
  }

  notify(key: string): void {
    const set = this.#listeners.get(key);
    if (set !== undefined) for (const listener of [...set]) listener();
    for (const listener of this.#anyListeners) listener(key);
  }
}
