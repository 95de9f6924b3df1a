/**
 * The operators of the machine-learning table functions. Each passes every row on at its own
 * ROWTIME with its result columns appended; its model (forest or window) is bounded by the
 * function's parameters. A row with a NULL feature is passed on with NULL results and does not
 * reach the model.
 */
import { AnomalyDetector, explanationJson } from '../functions/ml/anomaly-detector.js';
import { HotspotDetector, hotspotsJson } from '../functions/ml/hotspot-detector.js';
import type { Row } from '../plan/bound-expression.js';
import type { HotspotsPlan, RandomCutForestPlan } from '../plan/ml-plan.js';
import type { Downstream } from './downstream.js';

/** Fixed so that the same input gives the same scores on every run. */
export const forestSeed = 0x7472_6962;

function featuresOf(row: Row, features: readonly number[]): number[] | null {
  const values: number[] = [];
  for (const f of features) {
    const v = row[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    values.push(v);
  }
  return values;
}

export class RandomCutForestOperator implements Downstream {
  readonly #plan: RandomCutForestPlan;
  readonly #detector: AnomalyDetector;
  readonly #next: Downstream;

  constructor(plan: RandomCutForestPlan, next: Downstream) {
    this.#plan = plan;
    this.#next = next;
    this.#detector = new AnomalyDetector({
      columns: plan.features.length,
      numberOfTrees: plan.numberOfTrees,
      subSampleSize: plan.subSampleSize,
      timeDecay: plan.timeDecay,
      shingleSize: plan.shingleSize,
      seed: forestSeed,
    });
  }

  push(row: Row, rowtime: number): void {
    const explanation = this.#plan.explanation;
    const values = featuresOf(row, this.#plan.features);
    if (values === null) {
      this.#next.push(explanation === null ? [...row, null] : [...row, null, null], rowtime);
      return;
    }
    const result = this.#detector.next(values, explanation !== null);
    if (explanation === null) {
      this.#next.push([...row, result.score], rowtime);
      return;
    }
    const json = explanationJson(this.#plan.featureNames, result.explanation!, explanation.directionality);
    this.#next.push([...row, result.score, json], rowtime);
  }

  advance(bound: number): void {
    this.#next.advance(bound);
  }
}

export class HotspotsOperator implements Downstream {
  readonly #features: readonly number[];
  readonly #detector: HotspotDetector;
  readonly #next: Downstream;

  constructor(plan: HotspotsPlan, next: Downstream) {
    this.#features = plan.features;
    this.#next = next;
    this.#detector = new HotspotDetector({
      dimensions: plan.features.length,
      windowSize: plan.windowSize,
      scanRadius: plan.scanRadius,
      minimumPoints: plan.minimumPoints,
    });
  }

  push(row: Row, rowtime: number): void {
    const values = featuresOf(row, this.#features);
    const hotspots = values === null ? this.#detector.hotspots() : this.#detector.add(values);
    this.#next.push([...row, hotspotsJson(hotspots)], rowtime);
  }

  advance(bound: number): void {
    this.#next.advance(bound);
  }
}
