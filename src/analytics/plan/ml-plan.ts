/**
 * Plans of the machine-learning table functions: RANDOM_CUT_FOREST(_WITH_EXPLANATION) and
 * HOTSPOTS. Each passes the cursor's rows through in order and appends its result columns; only
 * the `features` columns (the cursor's numeric columns, in order) feed the model.
 */
import type { Plan } from './plan.js';

/** Output row = input row, ANOMALY_SCORE (DOUBLE) and, with an explanation, ANOMALY_EXPLANATION (VARCHAR). */
export interface RandomCutForestPlan {
  readonly kind: 'randomCutForest';
  readonly input: Plan;
  readonly features: readonly number[];
  readonly featureNames: readonly string[];
  readonly numberOfTrees: number;
  readonly subSampleSize: number;
  readonly timeDecay: number;
  readonly shingleSize: number;
  /** Null for RANDOM_CUT_FOREST; the withDirectionality flag for RANDOM_CUT_FOREST_WITH_EXPLANATION. */
  readonly explanation: { readonly directionality: boolean } | null;
}

/** Output row = input row and HOTSPOTS_RESULT (VARCHAR JSON). */
export interface HotspotsPlan {
  readonly kind: 'hotspots';
  readonly input: Plan;
  readonly features: readonly number[];
  readonly windowSize: number;
  readonly scanRadius: number;
  readonly minimumPoints: number;
}
