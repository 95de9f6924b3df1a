/** TagResource, UntagResource and ListTagsForResource on an application ARN. */
import { invalidArgument } from '../../../core/errors.js';
import type { RequestScope } from '../../../core/request-scope.js';
import { applicationNotFound } from '../analytics-errors.js';
import type { AnalyticsService } from '../analytics-service.js';
import { applicationKey, parseApplicationArn } from '../application-model.js';
import { checkTagCount, mergeTags } from './tag-rules.js';
import { defineAction } from './action.js';

function keyOfArn(scope: RequestScope, arn: string): { key: string; name: string } {
  const parts = parseApplicationArn(arn);
  if (parts === undefined) throw invalidArgument(`Invalid application ARN ${arn}.`);
  if (parts.accountId !== scope.accountId || parts.region !== scope.region) {
    throw applicationNotFound(parts.name, scope.accountId);
  }
  return { key: applicationKey(parts.accountId, parts.region, parts.name), name: parts.name };
}

async function changeTags(
  service: AnalyticsService,
  scope: RequestScope,
  arn: string,
  change: (tags: readonly { Key: string; Value: string }[]) => { Key: string; Value: string }[],
): Promise<undefined> {
  const { key, name } = keyOfArn(scope, arn);
  await service.mutate(key, (current) => {
    if (current === undefined) throw applicationNotFound(name, scope.accountId);
    const tags = change(current.record.tags);
    checkTagCount(tags.length);
    return { next: { ...current.record, tags }, result: undefined };
  });
  return undefined;
}

export const tagResource = defineAction('TagResource', ({ service, scope }, input) =>
  changeTags(service, scope, input.ResourceARN, (tags) => mergeTags(tags, input.Tags)),
);

export const untagResource = defineAction('UntagResource', ({ service, scope }, input) =>
  changeTags(service, scope, input.ResourceARN, (tags) =>
    tags.filter((tag) => !input.TagKeys.includes(tag.Key)),
  ),
);

export const listTagsForResource = defineAction('ListTagsForResource', async ({ service, scope }, input) => {
  const { name } = keyOfArn(scope, input.ResourceARN);
  return { Tags: service.find(scope, name).record.tags };
});
