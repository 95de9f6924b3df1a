/**
 * Splunk HTTP Event Collector destination: one `POST <HECEndpoint>/services/collector/raw` (Raw)
 * or `/services/collector/event` (Event) per attempt, carrying the records concatenated as they
 * are (Raw: Splunk breaks lines itself; Event: each record must already be a HEC event object),
 * with `Authorization: Splunk <HECToken>` and a request channel (`X-Splunk-Request-Channel`, one
 * per batch). Firehose needs indexer acknowledgement: the answer's `ackId` is polled on
 * `/services/collector/ack` until Splunk confirms it or HECAcknowledgmentTimeoutInSeconds pass
 * (`Splunk.AckTimeout`; the data may still have been indexed, so a retry can duplicate it).
 *
 * HEC answers a batch as a whole, so every record of it fails together, with the Splunk error
 * code AWS reports for the HEC status code (`Splunk.InvalidToken`, `Splunk.InvalidDataFormat`, …).
 */
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import type { RecordDestinationEntry } from '../delivery-stream-model.js';
import { sendHttpRequest, type HttpResult, type TransportFailureKind } from './http-request.js';
import {
  failAll,
  type DeliveryAttempt,
  type DeliveryOutcome,
  type EnvelopeFields,
  type RecordDestination,
} from './record-destination.js';

const transportCodes: Record<TransportFailureKind, string> = {
  connectionFailed: 'Splunk.InvalidEndpoint',
  connectionReset: 'Splunk.ConnectionClosed',
  timeout: 'Splunk.ConnectionTimeout',
  responseTooLarge: 'Splunk.ServerError',
};

/** HEC's own `code` in an error answer → the error code Firehose reports. */
const hecCodes: Readonly<Record<number, string>> = {
  1: 'Splunk.DisabledToken',
  2: 'Splunk.InvalidToken',
  3: 'Splunk.InvalidToken',
  4: 'Splunk.InvalidToken',
  5: 'Splunk.InvalidDataFormat',
  6: 'Splunk.InvalidDataFormat',
  7: 'Splunk.InvalidIndex',
  14: 'Splunk.DisabledAck',
};

interface HecAnswer {
  readonly text?: string;
  readonly code?: number;
  readonly ackId?: number;
  readonly acks?: Readonly<Record<string, boolean>>;
}

export class SplunkDestination implements RecordDestination {
  readonly errorOutputType = 'splunk-failed';
  readonly #config: RecordDestinationEntry['config'];
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    destination: RecordDestinationEntry,
    deps: { readonly clock: Clock; readonly timeoutMs: number },
  ) {
    this.#config = destination.config;
    this.#clock = deps.clock;
    this.#timeoutMs = deps.timeoutMs;
    this.#sleep = (ms) => new Promise((resolve) => deps.clock.schedule(ms, () => resolve()));
  }

  async deliver(records: readonly BufferedRecord[], attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const base = (this.#config.HECEndpoint as string).replace(/\/+$/, '');
    const raw = this.#config.HECEndpointType === 'Raw';
    const headers = {
      Authorization: `Splunk ${(this.#config.HECToken as string | undefined) ?? ''}`,
      'X-Splunk-Request-Channel': attempt.requestId,
      'Content-Type': raw ? 'text/plain' : 'application/json',
    };
    const sent = await sendHttpRequest(`${base}/services/collector/${raw ? 'raw' : 'event'}`, {
      method: 'POST',
      headers,
      body: Buffer.concat(records.map((record) => record.data)),
      timeoutMs: this.#timeoutMs,
      responseBytesMax: limits.httpEndpointResponseBytesMax,
      ...(attempt.signal === undefined ? {} : { signal: attempt.signal }),
    });
    const answer = this.#answerOf(records, sent);
    if ('failures' in answer) return answer;
    if (typeof answer.ackId !== 'number') {
      return failAll(
        records,
        'Splunk.DisabledAck',
        'The HEC token does not have indexer acknowledgement enabled. Enable it for the token.',
      );
    }
    return this.#awaitAck(records, `${base}/services/collector/ack`, headers, answer.ackId, attempt.signal);
  }

  envelopeFields(record: BufferedRecord, batchIndex: number, attempt: DeliveryAttempt): EnvelopeFields {
    const eventId =
      record.sequenceNumber === undefined
        ? `${attempt.requestId}.${batchIndex}`
        : `${record.sequenceNumber}.0`;
    return { afterRawData: { EventId: eventId } };
  }

  /** Polls the ack endpoint until Splunk confirms the ack id or the acknowledgement timeout ends. */
  async #awaitAck(
    records: readonly BufferedRecord[],
    url: string,
    headers: Readonly<Record<string, string>>,
    ackId: number,
    signal: AbortSignal | undefined,
  ): Promise<DeliveryOutcome> {
    const timeoutSeconds =
      (this.#config.HECAcknowledgmentTimeoutInSeconds as number | undefined) ??
      limits.splunkAckTimeoutSecondsDefault;
    const deadlineMs = this.#clock.nowMs() + timeoutSeconds * 1000;
    for (;;) {
      const polled = await sendHttpRequest(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify({ acks: [ackId] })),
        timeoutMs: this.#timeoutMs,
        responseBytesMax: limits.httpEndpointResponseBytesMax,
        ...(signal === undefined ? {} : { signal }),
      });
      const answer = this.#answerOf(records, polled);
      if ('failures' in answer) return answer;
      if (answer.acks?.[String(ackId)] === true) return { failures: [] };
      if (this.#clock.nowMs() >= deadlineMs || signal?.aborted === true) {
        return failAll(
          records,
          'Splunk.AckTimeout',
          'Did not receive an acknowledgement from HEC before the HEC acknowledgement timeout expired. ' +
            'Despite the acknowledgement timeout, it is possible the data was indexed successfully in Splunk. ' +
            'Firehose backs up in Amazon S3 data for which the acknowledgement timeout expired.',
        );
      }
      await this.#sleep(limits.splunkAckPollIntervalMs);
    }
  }

  /** The JSON answer of a 200, or the failure of every record. */
  #answerOf(records: readonly BufferedRecord[], sent: HttpResult): HecAnswer | DeliveryOutcome {
    if ('failure' in sent) return failAll(records, transportCodes[sent.failure.kind], sent.failure.message);
    const { status, body } = sent.response;
    let answer: HecAnswer | undefined;
    try {
      answer = JSON.parse(body.toString('utf8')) as HecAnswer;
    } catch {
      answer = undefined;
    }
    if (status === 200 && answer !== undefined && typeof answer === 'object' && answer !== null)
      return answer;
    const code = (answer?.code !== undefined ? hecCodes[answer.code] : undefined) ?? 'Splunk.ServerError';
    return failAll(
      records,
      code,
      `The Splunk HEC answered ${status}: ${body.toString('utf8').slice(0, 512)}`,
    );
  }
}
