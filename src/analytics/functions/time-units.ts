/** Milliseconds per day-time unit, and FLOOR/CEIL of a timestamp to a unit (calendar for MONTH/YEAR). */
import type { TimeUnit } from '../sql/ast.js';

const sizes: Readonly<Record<TimeUnit, number>> = {
  YEAR: 365 * 86_400_000,
  MONTH: 30 * 86_400_000,
  DAY: 86_400_000,
  HOUR: 3_600_000,
  MINUTE: 60_000,
  SECOND: 1000,
};

export const unitMs = (unit: TimeUnit): number => sizes[unit];

export function floorTime(ms: number, unit: TimeUnit): number {
  if (unit === 'YEAR' || unit === 'MONTH') {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), unit === 'YEAR' ? 0 : d.getUTCMonth(), 1);
  }
  return Math.floor(ms / sizes[unit]) * sizes[unit];
}

export function ceilTime(ms: number, unit: TimeUnit): number {
  const floor = floorTime(ms, unit);
  if (floor === ms) return ms;
  if (unit === 'YEAR' || unit === 'MONTH') {
    const d = new Date(floor);
    return Date.UTC(
      d.getUTCFullYear() + (unit === 'YEAR' ? 1 : 0),
      d.getUTCMonth() + (unit === 'MONTH' ? 1 : 0),
      1,
    );
  }
  return floor + sizes[unit];
}
