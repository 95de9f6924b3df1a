/**
 * Tags on streams: what AWS accepts and its texts (recorded against real Kinesis by kinesalite's
 * suite), shared by AddTagsToStream, TagResource, CreateStream and their removal and listing.
 */
import { invalidArgument } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { StreamRecord } from './stream-model.js';
import type { StreamReference } from './streams-service.js';

const allowedCharacters = /^[\p{L}\p{N}\s_./=+\-@%:]*$/u;

/** Checks new tags against the stream's and returns the merged set. */
export function mergeTags(
  record: Pick<StreamRecord, 'name' | 'accountId' | 'tags'>,
  tags: Readonly<Record<string, string>>,
): Record<string, string> {
  const texts = [...Object.keys(tags), ...Object.values(tags)];
  if (texts.some((text) => !allowedCharacters.test(text))) {
    throw invalidArgument(
      'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @ :.',
    );
  }
  const where = `stream ${record.name} under account ${record.accountId}`;
  if (texts.some((text) => text.includes('%'))) {
    throw invalidArgument(
      `Failed to add tags to ${where} because some tags contained illegal characters. The allowed characters are ` +
        "Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.",
    );
  }
  if (Object.keys(tags).some((key) => key.toLowerCase().startsWith('aws:'))) {
    throw invalidArgument(
      `Failed to add tags to ${where} because the prefix 'aws:' is reserved for AWS use.`,
    );
  }
  const merged = { ...record.tags, ...tags };
  if (Object.keys(merged).length > limits.tagsPerStreamMax) {
    throw invalidArgument(
      `Failed to add tags to ${where} because a given stream cannot have more than ${limits.tagsPerStreamMax} tags associated with it.`,
    );
  }
  return merged;
}

export function withoutTags(
  record: Pick<StreamRecord, 'tags'>,
  keys: readonly string[],
): Record<string, string> {
  const remaining = { ...record.tags };
  for (const key of keys) delete remaining[key];
  return remaining;
}

/** Tags in key order, as AWS lists them. */
export function tagList(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ Key: key, Value: tags[key] as string }));
}

/** The stream a ResourceARN names (consumer ARNs are told apart by `isConsumerArn`). */
export function streamOfResource(resourceArn: string): StreamReference {
  return { StreamARN: resourceArn };
}

/** Whether a ResourceARN names an enhanced fan-out consumer rather than a stream. */
export const isConsumerArn = (resourceArn: string): boolean => resourceArn.includes('/consumer/');
