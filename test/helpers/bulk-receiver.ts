/**
 * What a test OpenSearch cluster does with `_bulk`: reads the NDJSON body into action/document
 * pairs and answers each item as OpenSearch does (`{"took","errors","items":[{"index":{…,"status"}}]}`),
 * failing the documents a test picks with a 400 mapper_parsing_exception.
 */
import type { ReceivedRequest, Reply } from './destination-receiver.js';

export interface BulkItem {
  readonly action: { readonly _index: string; readonly _type?: string; readonly _id?: string };
  readonly document: string;
}

export function bulkItemsOf(request: ReceivedRequest): BulkItem[] {
  const lines = request.body.toString('utf8').split('\n');
  if (lines.pop() !== '') throw new Error('a _bulk body ends with a newline');
  const items: BulkItem[] = [];
  for (let at = 0; at < lines.length; at += 2) {
    const action = JSON.parse(lines[at] as string) as { index: BulkItem['action'] };
    items.push({ action: action.index, document: lines[at + 1] as string });
  }
  return items;
}

export function bulkReply(request: ReceivedRequest, fails: (item: BulkItem) => boolean = () => false): Reply {
  const items = bulkItemsOf(request).map((item, index) => {
    const failed = fails(item);
    return {
      index: {
        _index: item.action._index,
        _id: item.action._id ?? `auto-${index}`,
        status: failed ? 400 : 201,
        ...(failed
          ? { error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' } }
          : { result: 'created' }),
      },
    };
  });
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: JSON.stringify({ took: 3, errors: items.some((item) => item.index.status >= 300), items }),
  };
}
