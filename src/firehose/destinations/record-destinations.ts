/**
 * Builds the record destination of a delivery stream from its stored configuration, one per
 * delivery attempt (so an UpdateDestination applies to the next retry).
 */
import type { Clock } from '../../core/clock.js';
import type { RecordDestinationEntry } from '../delivery-stream-model.js';
import { HttpEndpointDestination, type HttpEndpointSettings } from './http-endpoint-destination.js';
import { OpenSearchDestination } from './opensearch-destination.js';
import type { RecordDestination } from './record-destination.js';
import { SplunkDestination } from './splunk-destination.js';

export interface RecordDestinationDeps {
  readonly clock: Clock;
  /** Response timeout of every destination request (AWS: 3 minutes for HTTP endpoints). */
  readonly timeoutMs: number;
  readonly resolveDomain: (domainArn: string) => string | undefined;
}

export function makeRecordDestination(
  destination: RecordDestinationEntry,
  deps: RecordDestinationDeps,
): RecordDestination {
  switch (destination.kind) {
    case 'HttpEndpoint':
      return new HttpEndpointDestination(destination.config as unknown as HttpEndpointSettings, {
        clock: deps.clock,
        timeoutMs: deps.timeoutMs,
      });
    case 'AmazonOpenSearchService':
    case 'Elasticsearch':
      return new OpenSearchDestination(destination, deps);
    case 'Splunk':
      return new SplunkDestination(destination, deps);
  }
}
