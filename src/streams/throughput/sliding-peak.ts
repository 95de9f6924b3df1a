/**
 * The largest value seen within a sliding time window: a monotonic queue (each kept sample is
 * larger than every later one), so the peak is the first sample and old ones fall off the front.
 * At most `samplesMax` samples are kept; past that the oldest is dropped early.
 */
export class SlidingPeak {
  readonly #windowMs: number;
  readonly #samplesMax: number;
  #samples: { atMs: number; value: number }[] = [];

  constructor(windowMs: number, samplesMax = 256) {
    this.#windowMs = windowMs;
    this.#samplesMax = samplesMax;
  }

  add(atMs: number, value: number): void {
    while (this.#samples.length > 0 && (this.#samples[this.#samples.length - 1]?.value ?? 0) <= value) {
      this.#samples.pop();
    }
    this.#samples.push({ atMs, value });
    if (this.#samples.length > this.#samplesMax) this.#samples.shift();
  }

  /** The peak of the samples taken after `nowMs - windowMs`; 0 when there are none. */
  peak(nowMs: number): number {
    const cutMs = nowMs - this.#windowMs;
    while (this.#samples.length > 0 && (this.#samples[0]?.atMs ?? 0) <= cutMs) this.#samples.shift();
    return this.#samples[0]?.value ?? 0;
  }
}
