/**
 * What RANDOM_CUT_FOREST(_WITH_EXPLANATION) does with each record's numeric columns: shingling
 * (the last `shingleSize` records side by side make one point), the learning phase (score 0 until
 * the forest has been given `subSampleSize` points), then score-before-learn: a record is scored
 * against the forest of the records before it, then joins it.
 *
 * The explanation gives each column the part of the score due to it (its dimensions summed over
 * the shingle), the side it is anomalous on (HIGH when more of its part comes from lying above
 * the sampled data than below), and a strength: how many standard deviations of the forest's
 * current sample the column's latest value lies from that sample's mean.
 */
import { RandomCutForest } from './random-cut-forest.js';

export interface AnomalyOptions {
  /** Numeric columns per record. */
  readonly columns: number;
  readonly numberOfTrees: number;
  readonly subSampleSize: number;
  readonly timeDecay: number;
  readonly shingleSize: number;
  readonly seed: number;
}

export interface ColumnExplanation {
  readonly attribution: number;
  readonly direction: 'HIGH' | 'LOW';
  readonly strength: number;
}

export interface AnomalyResult {
  readonly score: number;
  /** One entry per column when asked for. */
  readonly explanation: readonly ColumnExplanation[] | null;
}

export class AnomalyDetector {
  readonly #options: AnomalyOptions;
  readonly #forest: RandomCutForest;
  /** The last shingleSize records' values, oldest first. */
  readonly #shingle: number[][] = [];

  constructor(options: AnomalyOptions) {
    this.#options = options;
    this.#forest = new RandomCutForest({
      dimensions: options.columns * options.shingleSize,
      numberOfTrees: options.numberOfTrees,
      sampleSize: options.subSampleSize,
      timeDecay: options.timeDecay,
      seed: options.seed,
    });
  }

  /** Scores one record's values, then learns from them. */
  next(values: readonly number[], explain: boolean): AnomalyResult {
    this.#shingle.push([...values]);
    if (this.#shingle.length > this.#options.shingleSize) this.#shingle.shift();
    if (this.#shingle.length < this.#options.shingleSize) return this.#learning(explain);
    const point = Float64Array.from(this.#shingle.flat());
    const result =
      this.#forest.seen < this.#options.subSampleSize ? this.#learning(explain) : this.#score(point, explain);
    this.#forest.update(point);
    return result;
  }

  #learning(explain: boolean): AnomalyResult {
    const idle: ColumnExplanation = { attribution: 0, direction: 'LOW', strength: 0 };
    return {
      score: 0,
      explanation: explain ? Array.from({ length: this.#options.columns }, () => idle) : null,
    };
  }

  #score(point: Float64Array, explain: boolean): AnomalyResult {
    if (!explain) return { score: this.#forest.score(point), explanation: null };
    const { high, low } = this.#forest.attribution(point);
    const columns = this.#options.columns;
    const latest = (this.#options.shingleSize - 1) * columns;
    let score = 0;
    const explanation: ColumnExplanation[] = [];
    for (let c = 0; c < columns; c++) {
      let above = 0;
      let below = 0;
      for (let s = 0; s < this.#options.shingleSize; s++) {
        above += high[s * columns + c]!;
        below += low[s * columns + c]!;
      }
      score += above + below;
      const { mean, deviation } = this.#forest.sampleStatistics(latest + c);
      const distance = Math.abs(point[latest + c]! - mean);
      explanation.push({
        attribution: above + below,
        direction: above > below ? 'HIGH' : 'LOW',
        strength: deviation > 0 ? distance / deviation : 0,
      });
    }
    return { score, explanation };
  }
}

/**
 * ANOMALY_EXPLANATION's JSON: `{"col":{"DIRECTION":"HIGH","STRENGTH":"0.8567","ATTRIBUTION_SCORE":"1.7447"},…}`
 * (numbers as strings with four decimals, as AWS prints them); without directionality only
 * ATTRIBUTION_SCORE.
 */
export function explanationJson(
  names: readonly string[],
  explanation: readonly ColumnExplanation[],
  directionality: boolean,
): string {
  const out: Record<string, Record<string, string>> = {};
  names.forEach((name, i) => {
    const e = explanation[i]!;
    out[name] = directionality
      ? {
          DIRECTION: e.direction,
          STRENGTH: e.strength.toFixed(4),
          ATTRIBUTION_SCORE: e.attribution.toFixed(4),
        }
      : { ATTRIBUTION_SCORE: e.attribution.toFixed(4) };
  });
  return JSON.stringify(out);
}
