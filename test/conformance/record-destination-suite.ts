/**
 * The RecordDestination conformance suite, run by every record destination (HTTP endpoint,
 * OpenSearch, Elasticsearch, Splunk) against a local server speaking its protocol: a batch
 * delivered whole in one attempt with the records' bytes in order; a destination answering errors
 * or not listening fails every record with a code and a message and never rejects; a retry of the
 * same batch carries the same identity (request id, document ids, channel); envelope members are
 * plain values that do not clash with the envelope's own.
 *
 * A fixture knows its protocol: how to build the destination for a server URL, what a success
 * and a failure answer look like, which bytes of records a request carries, and what identifies
 * a batch in a request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BufferedRecord } from '../../src/firehose/delivery/delivery-buffer.js';
import type {
  DeliveryAttempt,
  RecordDestination,
} from '../../src/firehose/destinations/record-destination.js';
import {
  startReceiver,
  type ReceivedRequest,
  type Receiver,
  type Reply,
} from '../helpers/destination-receiver.js';

export interface RecordDestinationFixture {
  readonly make: (url: string) => RecordDestination;
  /** A protocol-correct success answer to any request (data or acknowledgement). */
  readonly accept: (request: ReceivedRequest) => Reply;
  /** A whole-request failure answer, as the destination's server gives it. */
  readonly reject: Reply;
  /** The record bytes a request carries, concatenated in order ('' for requests without data). */
  readonly recordBytes: (request: ReceivedRequest) => string;
  /** What must stay the same across retries of one batch. */
  readonly identity: (request: ReceivedRequest) => unknown;
}

const envelopeMembers = [
  'attemptsMade',
  'arrivalTimestamp',
  'errorCode',
  'errorMessage',
  'attemptEndingTimestamp',
  'rawData',
];

function batch(count: number): BufferedRecord[] {
  const arrivalMs = Date.UTC(2026, 11, 7, 12, 0, 0);
  return Array.from({ length: count }, (_, index) => ({
    data: Buffer.from(`{"event":"record ${index}","n":${index}}`),
    arrivalMs: arrivalMs + index,
  }));
}

function attemptOf(records: readonly BufferedRecord[], attemptNumber = 1): DeliveryAttempt {
  return {
    requestId: '0b9a4bd2-1c71-4d5e-9a55-6fb8b8a6f0a1',
    attemptNumber,
    sourceArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/conformance',
    recordIndexes: records.map((_, index) => index),
  };
}

export function recordDestinationSuite(name: string, fixture: RecordDestinationFixture): void {
  describe(`RecordDestination conformance: ${name}`, () => {
    let receiver: Receiver;
    let answer: (request: ReceivedRequest) => Reply;

    before(async () => {
      receiver = await startReceiver({ handler: (request) => answer(request) });
    });

    after(async () => {
      await receiver?.close();
    });

    function reset(next: (request: ReceivedRequest) => Reply): void {
      receiver.requests.length = 0;
      answer = next;
    }

    it('delivers a batch whole in one attempt, records in order', async () => {
      reset(fixture.accept);
      const records = batch(25);
      const outcome = await fixture.make(receiver.url).deliver(records, attemptOf(records));
      assert.deepEqual(outcome.failures, []);
      assert.equal(
        receiver.requests.map(fixture.recordBytes).join(''),
        records.map((record) => record.data.toString('utf8')).join(''),
      );
    });

    it('fails every record with a code and a message when the server answers an error', async () => {
      reset(() => fixture.reject);
      const records = batch(3);
      const outcome = await fixture.make(receiver.url).deliver(records, attemptOf(records));
      assert.deepEqual(
        outcome.failures.map((failure) => failure.index),
        [0, 1, 2],
      );
      for (const failure of outcome.failures) {
        assert.ok(failure.errorCode.length > 0);
        assert.ok(failure.errorMessage.length > 0);
      }
    });

    it('fails every record, without rejecting, when nothing listens', async () => {
      const closed = await startReceiver();
      const url = closed.url;
      await closed.close();
      const records = batch(2);
      const outcome = await fixture.make(url).deliver(records, attemptOf(records));
      assert.equal(outcome.failures.length, 2);
      assert.equal(new Set(outcome.failures.map((failure) => failure.errorCode)).size, 1);
    });

    it('sends a retry of the same batch with the same identity', async () => {
      reset(() => fixture.reject);
      const records = batch(4);
      const destination = fixture.make(receiver.url);
      await destination.deliver(records, attemptOf(records, 1));
      const first = receiver.requests.map(fixture.identity);
      reset(fixture.accept);
      const outcome = await destination.deliver(records, attemptOf(records, 2));
      assert.deepEqual(outcome.failures, []);
      assert.deepEqual(receiver.requests.slice(0, first.length).map(fixture.identity), first);
    });

    it('gives envelope members as plain values that do not replace the envelope', () => {
      const records = batch(2);
      const destination = fixture.make(receiver.url);
      assert.ok(destination.errorOutputType.length > 0);
      records.forEach((record, index) => {
        const fields = destination.envelopeFields(record, index, attemptOf(records));
        for (const [member, value] of Object.entries({ ...fields.beforeRawData, ...fields.afterRawData })) {
          assert.ok(!envelopeMembers.includes(member), member);
          assert.ok(typeof value === 'string' || typeof value === 'number', member);
        }
      });
    });
  });
}
