/**
 * Delivery stream tags: a list of `{Key, Value}` kept in key order. Tagging is an upsert (the
 * last value given for a key wins), at most `tagsPerDeliveryStreamMax` tags per delivery stream.
 */
import { limitExceeded } from '../core/errors.js';
import { limits } from '../core/limits.js';

export interface Tag {
  readonly Key: string;
  readonly Value?: string;
}

export function mergeTagList(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.Key, tag]));
  for (const tag of added)
    byKey.set(tag.Key, tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value });
  if (byKey.size > limits.tagsPerDeliveryStreamMax) {
    throw limitExceeded(
      `A delivery stream cannot have more than ${limits.tagsPerDeliveryStreamMax} tags; this request would leave it with ${byKey.size}.`,
    );
  }
  return [...byKey.values()].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}
