/**
 * A small seeded pseudo-random generator (xoshiro128**) for the machine-learning functions: the
 * same seed gives the same sequence, so an application's anomaly scores are repeatable run to run
 * (AWS documents them as non-deterministic; repeatable results make them testable).
 */
export class SeededRandom {
  readonly #state = new Uint32Array(4);

  constructor(seed: number) {
    // splitmix32 spreads one seed over the four words (an all-zero state would be stuck).
    let s = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#state[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#state;
    let [a, b, c, d] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const result = Math.imul(rotate(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotate(d, 11);
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform double in (0, 1): safe under a logarithm. */
  nextPositive(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return u;
  }
}

const rotate = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
