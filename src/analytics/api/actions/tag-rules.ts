/** Application tags: merged by key in first-set order, at most 50 per application. */
import { tooManyTags } from '../analytics-errors.js';
import { applicationLimits } from '../configuration-rules.js';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export function mergeTags(
  existing: readonly Tag[],
  added: readonly { Key: string; Value?: string }[],
): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value ?? '');
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export function checkTagCount(count: number): void {
  if (count > applicationLimits.tagsMax) {
    throw tooManyTags(
      `An application can have at most ${applicationLimits.tagsMax} tags; the request would give it ${count}.`,
    );
  }
}
