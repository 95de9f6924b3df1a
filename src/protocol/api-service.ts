/**
 * What the protocol layer needs of a service (Streams, Firehose, Analytics): its X-Amz-Target
 * prefix and its operations, each with the input shape from the AWS model and a function to run.
 * Services know nothing of HTTP; the protocol knows nothing of streams.
 */
import type { RequestScope } from '../core/request-scope.js';
import type { StructureShape } from './shape.js';

export interface ApiOperation {
  readonly name: string;
  readonly inputShape: StructureShape;
  /**
   * The shape to validate this request with instead of `inputShape`, when it depends on the
   * resource the request names (e.g. PutRecord on a stream whose records need no partition key).
   * Runs before validation, so it must cope with any decoded body; undefined keeps `inputShape`.
   */
  readonly inputShapeFor?: (
    scope: RequestScope,
    decoded: Readonly<Record<string, unknown>>,
  ) => StructureShape | undefined;
  /**
   * Large bodies of this operation may be decoded and validated on a worker thread
   * (`decode-offload.ts`); for bulk writes, whose decoding is most of their cost.
   */
  readonly offload?: boolean;
  /**
   * Runs on validated input; undefined answers AWS's empty body for void operations, and an
   * `EventStreamReply` (event-stream-reply.ts) answers with a stream of events.
   */
  run(scope: RequestScope, input: Record<string, unknown>): Promise<object | undefined>;
}

export interface ApiService {
  /** e.g. `Kinesis_20131202`. */
  readonly targetPrefix: string;
  readonly operations: ReadonlyMap<string, ApiOperation>;
  /** Every operation name in the AWS model, implemented or not. */
  readonly modelOperations: ReadonlySet<string>;
}
