/**
 * Amazon OpenSearch Service / Elasticsearch destination: one `POST <endpoint>/_bulk` per attempt
 * with an `index` action per record, naming the index explicitly (IndexName plus the rotation
 * suffix of the record's arrival time), `_type` when TypeName is set, and `_id` with
 * DocumentIdOptions FIREHOSE_DEFAULT: an id derived from the batch and the record's position, so
 * a retry re-indexes the same document instead of adding a copy. NO_DOCUMENT_ID leaves ids to the
 * cluster.
 *
 * A bulk item with a status of 300 or more fails that record alone (error code = the status, error
 * message = the item's `error` as JSON); a failed request (connection, non-2xx, unreadable answer)
 * fails them all with `OS.*` (`ES.*` for Elasticsearch) codes. A record is sent as its JSON text;
 * one spanning several lines is compacted to one (the bulk format is line-based).
 */
import { createHash } from 'node:crypto';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import type { RecordDestinationEntry } from '../delivery-stream-model.js';
import { sendHttpRequest, type TransportFailureKind } from './http-request.js';
import { rotatedIndexName, type IndexRotationPeriod } from './index-rotation.js';
import { domainNameOf } from './opensearch-config.js';
import {
  failAll,
  type DeliveryAttempt,
  type DeliveryOutcome,
  type EnvelopeFields,
  type RecordDestination,
  type RecordFailure,
} from './record-destination.js';

const transportCodes: Record<TransportFailureKind, string> = {
  connectionFailed: 'ConnectionFailed',
  connectionReset: 'ConnectionReset',
  timeout: 'RequestTimeout',
  responseTooLarge: 'InvalidResponse',
};

interface BulkItem {
  readonly status?: number;
  readonly error?: unknown;
}

export class OpenSearchDestination implements RecordDestination {
  readonly errorOutputType: string;
  readonly #config: RecordDestinationEntry['config'];
  readonly #codePrefix: string;
  readonly #endpoint: string | undefined;
  readonly #timeoutMs: number;

  constructor(
    destination: RecordDestinationEntry,
    deps: { readonly resolveDomain: (domainArn: string) => string | undefined; readonly timeoutMs: number },
  ) {
    const elasticsearch = destination.kind === 'Elasticsearch';
    this.errorOutputType = elasticsearch ? 'elasticsearch-failed' : 'AmazonOpenSearchService-failed';
    this.#codePrefix = elasticsearch ? 'ES' : 'OS';
    this.#config = destination.config;
    const domainArn = this.#config.DomainARN as string | undefined;
    this.#endpoint =
      domainArn === undefined ? (this.#config.ClusterEndpoint as string) : deps.resolveDomain(domainArn);
    this.#timeoutMs = deps.timeoutMs;
  }

  async deliver(records: readonly BufferedRecord[], attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    if (this.#endpoint === undefined) {
      const domain = domainNameOf(this.#config.DomainARN as string);
      return failAll(records, `${this.#codePrefix}.ResourceNotFound`, `Domain not found: ${domain}`);
    }
    const lines: string[] = [];
    records.forEach((record, index) => {
      const batchIndex = attempt.recordIndexes[index] as number;
      lines.push(
        JSON.stringify({ index: this.#action(record, batchIndex, attempt) }),
        documentLine(record.data),
      );
    });
    const result = await sendHttpRequest(`${this.#endpoint.replace(/\/+$/, '')}/_bulk`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(`${lines.join('\n')}\n`),
      timeoutMs: this.#timeoutMs,
      responseBytesMax: 64 * 1024 * 1024,
      ...(attempt.signal === undefined ? {} : { signal: attempt.signal }),
    });
    if ('failure' in result) {
      return failAll(
        records,
        `${this.#codePrefix}.${transportCodes[result.failure.kind]}`,
        result.failure.message,
      );
    }
    const { status, body } = result.response;
    const text = body.toString('utf8');
    if (status < 200 || status >= 300) {
      return failAll(
        records,
        `${this.#codePrefix}.ServiceException`,
        `Error received from the cluster. Status code: ${status}, message: ${text.slice(0, 512)}`,
      );
    }
    let items: readonly Record<string, BulkItem>[] | undefined;
    try {
      items = (JSON.parse(text) as { items?: Record<string, BulkItem>[] }).items;
    } catch {
      items = undefined;
    }
    if (!Array.isArray(items) || items.length !== records.length) {
      return failAll(
        records,
        `${this.#codePrefix}.InvalidResponse`,
        `The cluster's _bulk response could not be read: ${text.slice(0, 512)}`,
      );
    }
    const failures: RecordFailure[] = [];
    items.forEach((item, index) => {
      const outcome = Object.values(item)[0] as BulkItem | undefined;
      const itemStatus = outcome?.status ?? 500;
      if (itemStatus >= 300 || outcome?.error !== undefined) {
        failures.push({
          index,
          errorCode: String(itemStatus),
          errorMessage: JSON.stringify(outcome?.error ?? {}),
        });
      }
    });
    return { failures };
  }

  envelopeFields(record: BufferedRecord, batchIndex: number, attempt: DeliveryAttempt): EnvelopeFields {
    const action = this.#action(record, batchIndex, attempt);
    return {
      beforeRawData: {
        ...(action._id === undefined ? {} : { esDocumentId: action._id }),
        esIndexName: action._index,
        ...(action._type === undefined ? {} : { esTypeName: action._type }),
      },
    };
  }

  #action(
    record: BufferedRecord,
    batchIndex: number,
    attempt: DeliveryAttempt,
  ): { _index: string; _type?: string; _id?: string } {
    const period = (this.#config.IndexRotationPeriod as IndexRotationPeriod | undefined) ?? 'OneDay';
    const typeName = this.#config.TypeName as string | undefined;
    const idFormat = (this.#config.DocumentIdOptions as { DefaultDocumentIdFormat?: string } | undefined)
      ?.DefaultDocumentIdFormat;
    return {
      _index: rotatedIndexName(this.#config.IndexName as string, period, record.arrivalMs),
      ...(typeName === undefined || typeName === '' ? {} : { _type: typeName }),
      ...(idFormat === 'NO_DOCUMENT_ID' ? {} : { _id: documentId(attempt.requestId, batchIndex) }),
    };
  }
}

/** A Firehose-made document id: 20 URL-safe characters, fixed by the batch and the position. */
function documentId(requestId: string, batchIndex: number): string {
  return createHash('sha256').update(`${requestId}/${batchIndex}`).digest('base64url').slice(0, 20);
}

/** The record as one bulk line: multi-line JSON compacted, trailing line breaks dropped. */
function documentLine(data: Buffer): string {
  const text = data.toString('utf8').replace(/[\r\n]+$/, '');
  if (!/[\r\n]/.test(text)) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    // Not JSON: sent with its line breaks escaped away; the cluster reports the item as failed.
    return text.replace(/[\r\n]+/g, ' ');
  }
}
