/**
 * The HTTP endpoint destination, as Firehose sends it: `POST <Url>` with
 * `X-Amz-Firehose-Protocol-Version: 1.0`, `X-Amz-Firehose-Request-Id` (the same on every retry of a
 * batch), `X-Amz-Firehose-Source-Arn`, `X-Amz-Firehose-Access-Key` and
 * `X-Amz-Firehose-Common-Attributes` when configured, `Content-Type: application/json`, and
 * `Content-Encoding: gzip` with ContentEncoding GZIP. The body is
 * `{"requestId":…,"timestamp":<epoch ms>,"records":[{"data":"<base64>"},…]}`.
 *
 * Only a 200 whose JSON body echoes the request id with a numeric timestamp is a success: any
 * other status is `HttpEndpoint.DestinationException`, a 200 that breaks the contract is
 * `HttpEndpoint.InvalidResponseFromDestination`. A request carries at most 10,000 records; a
 * larger buffer goes out as several requests, whose ids are derived from the batch's id so that
 * they too stay the same across retries.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import { sendHttpRequest, type TransportFailureKind } from './http-request.js';
import {
  failAll,
  type DeliveryAttempt,
  type DeliveryOutcome,
  type EnvelopeFields,
  type RecordDestination,
  type RecordFailure,
} from './record-destination.js';

export interface HttpEndpointSettings {
  readonly EndpointConfiguration: {
    readonly Url: string;
    readonly Name?: string;
    readonly AccessKey?: string;
  };
  readonly RequestConfiguration: {
    readonly ContentEncoding: 'NONE' | 'GZIP';
    readonly CommonAttributes?: readonly {
      readonly AttributeName: string;
      readonly AttributeValue: string;
    }[];
  };
}

const transportErrorCodes: Record<TransportFailureKind, string> = {
  connectionFailed: 'HttpEndpoint.ConnectionFailed',
  connectionReset: 'HttpEndpoint.ConnectionReset',
  timeout: 'HttpEndpoint.RequestTimeout',
  responseTooLarge: 'HttpEndpoint.ResponseTooLarge',
};

export class HttpEndpointDestination implements RecordDestination {
  readonly errorOutputType = 'http-endpoint-failed';
  readonly #settings: HttpEndpointSettings;
  readonly #clock: Clock;
  readonly #timeoutMs: number;

  constructor(settings: HttpEndpointSettings, deps: { readonly clock: Clock; readonly timeoutMs: number }) {
    this.#settings = settings;
    this.#clock = deps.clock;
    this.#timeoutMs = deps.timeoutMs;
  }

  async deliver(records: readonly BufferedRecord[], attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const failures: RecordFailure[] = [];
    for (let start = 0; start < records.length; start += limits.httpEndpointRecordsPerRequestMax) {
      const chunk = records.slice(start, start + limits.httpEndpointRecordsPerRequestMax);
      const requestId = start === 0 ? attempt.requestId : derivedRequestId(attempt.requestId, start);
      const outcome = await this.#send(chunk, requestId, attempt);
      for (const failure of outcome.failures) failures.push({ ...failure, index: failure.index + start });
    }
    return { failures };
  }

  envelopeFields(record: BufferedRecord): EnvelopeFields {
    return record.sequenceNumber === undefined
      ? {}
      : { afterRawData: { subsequenceNumber: 0, dataId: `${record.sequenceNumber}.0` } };
  }

  async #send(
    records: readonly BufferedRecord[],
    requestId: string,
    attempt: DeliveryAttempt,
  ): Promise<DeliveryOutcome> {
    const { EndpointConfiguration: endpoint, RequestConfiguration: request } = this.#settings;
    const json = Buffer.from(
      JSON.stringify({
        requestId,
        timestamp: this.#clock.nowMs(),
        records: records.map((record) => ({ data: record.data.toString('base64') })),
      }),
    );
    const gzip = request.ContentEncoding === 'GZIP';
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Firehose-Protocol-Version': '1.0',
      'X-Amz-Firehose-Request-Id': requestId,
      'X-Amz-Firehose-Source-Arn': attempt.sourceArn,
    };
    if (endpoint.AccessKey !== undefined && endpoint.AccessKey !== '') {
      headers['X-Amz-Firehose-Access-Key'] = endpoint.AccessKey;
    }
    const attributes = request.CommonAttributes ?? [];
    if (attributes.length > 0) {
      const commonAttributes: Record<string, string> = {};
      for (const attribute of attributes)
        commonAttributes[attribute.AttributeName] = attribute.AttributeValue;
      headers['X-Amz-Firehose-Common-Attributes'] = JSON.stringify({ commonAttributes });
    }
    if (gzip) headers['Content-Encoding'] = 'gzip';
    const result = await sendHttpRequest(endpoint.Url, {
      method: 'POST',
      headers,
      body: gzip ? gzipSync(json) : json,
      timeoutMs: this.#timeoutMs,
      responseBytesMax: limits.httpEndpointResponseBytesMax,
      ...(attempt.signal === undefined ? {} : { signal: attempt.signal }),
    });
    if ('failure' in result) {
      return failAll(records, transportErrorCodes[result.failure.kind], result.failure.message);
    }
    const { status, body, headers: responseHeaders } = result.response;
    const text = body.toString('utf8');
    if (status !== 200) {
      return failAll(
        records,
        'HttpEndpoint.DestinationException',
        `The following response was received from the endpoint destination. ${status}: ${truncate(text)}`,
      );
    }
    const contentType = String(responseHeaders['content-type'] ?? '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer = parsed as { requestId?: unknown; timestamp?: unknown } | undefined;
    if (
      !contentType.toLowerCase().startsWith('application/json') ||
      responseHeaders['content-encoding'] !== undefined ||
      typeof answer !== 'object' ||
      answer === null ||
      answer.requestId !== requestId ||
      typeof answer.timestamp !== 'number'
    ) {
      return failAll(
        records,
        'HttpEndpoint.InvalidResponseFromDestination',
        'The response received from the endpoint is invalid. See Troubleshooting HTTP Endpoints in the ' +
          `Firehose documentation for more information. Response: ${truncate(text)}`,
      );
    }
    return { failures: [] };
  }
}

/** A request id for the n-th slice of a batch: UUID-shaped, the same for every retry. */
function derivedRequestId(requestId: string, start: number): string {
  const hex = createHash('sha256').update(`${requestId}/${start}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The response body as AWS quotes it in error messages: the first few hundred characters. */
function truncate(text: string): string {
  return text.length > 512 ? `${text.slice(0, 512)}...` : text;
}
