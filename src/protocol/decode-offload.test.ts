import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cbor } from '@smithy/core/cbor';
import { inputShapes as firehoseShapes } from '../firehose/shapes.generated.js';
import { inputShapes as kinesisShapes } from '../streams/shapes.sdk-additions.js';
import { DecodeOffload } from './decode-offload.js';
import { decodeJson } from './json-codec.js';
import type { StructureShape } from './shape.js';
import { validateInput } from './validate.js';

const putRecords = kinesisShapes.PutRecords as StructureShape;
const putRecordBatch = firehoseShapes.PutRecordBatch as StructureShape;
const shapes = {
  'Kinesis_20131202.PutRecords': putRecords,
  'Firehose_20150804.PutRecordBatch': putRecordBatch,
};

function putRecordsBody(count: number): Buffer {
  const records = Array.from({ length: count }, (_, index) => ({
    Data: Buffer.from(`record ${index} é ${'x'.repeat(index % 37)}`).toString('base64'),
    PartitionKey: `key-${index}-ü`,
    ...(index % 5 === 0 ? { ExplicitHashKey: String(BigInt(index) * 12345678901234567890n) } : {}),
  }));
  return Buffer.from(JSON.stringify({ StreamName: 'stream', Records: records, Unknown: [1, { a: null }] }));
}

/** A body that owns its whole ArrayBuffer, as Buffer.concat makes them: it is moved, not copied. */
function owned(body: Buffer): Buffer {
  const copy = Buffer.from(new ArrayBuffer(body.length));
  body.copy(copy);
  return copy;
}

/** A body that is a view into a larger buffer: it is copied to the worker. */
function viewOf(body: Buffer): Buffer {
  return Buffer.concat([Buffer.alloc(8), body]).subarray(8);
}

describe('DecodeOffload', () => {
  const offload = new DecodeOffload(shapes, { minBodyBytes: 1024, pendingMax: 4 });
  after(() => offload.close());
  before(async () => {
    assert.equal(
      offload.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(100)),
      undefined,
      'not started yet',
    );
    await offload.ready();
  });

  it('answers what validateInput answers on the main thread, blobs as Buffers', async () => {
    const body = putRecordsBody(500);
    const expected = validateInput(putRecords, decodeJson(body.toString('utf8')));
    for (const given of [viewOf(body), owned(body)]) {
      const worked = await offload.decode('Kinesis_20131202.PutRecords', 'json', given);
      assert.ok(worked !== undefined && worked.input !== undefined);
      assert.deepEqual(worked.input, expected);
      const first = (worked.input.Records as { Data: unknown }[])[0];
      assert.ok(Buffer.isBuffer(first?.Data));
      assert.deepEqual(worked.body, body, 'the body comes back intact, moved or copied');
    }
  });

  it('decodes CBOR bodies, byte strings included', async () => {
    const records = Array.from({ length: 300 }, (_, index) => ({
      Data: new Uint8Array([index % 256, 0, 255]),
    }));
    const body = Buffer.from(cbor.serialize({ DeliveryStreamName: 'd', Records: records }));
    assert.ok(body.length >= 1024);
    const worked = await offload.decode('Firehose_20150804.PutRecordBatch', 'cbor', owned(body));
    assert.ok(worked?.input !== undefined);
    const data = (worked.input.Records as { Data: Buffer }[]).map((record) => [...record.Data]);
    assert.deepEqual(
      data,
      records.map((record) => [...record.Data]),
    );
  });

  it('gives back bodies it cannot decode or validate, for the main thread to answer', async () => {
    const bad = [
      Buffer.from(`{"StreamName":"s","Records":[${'{"Data":"AA==","PartitionKey":"k"},'.repeat(40)}`), // syntax
      Buffer.from(
        JSON.stringify({ StreamName: 's', Records: Array(501).fill({ Data: '', PartitionKey: 'k' }) }),
      ),
      Buffer.from(
        JSON.stringify({
          StreamName: 's',
          Records: [{ Data: '!!!', PartitionKey: 'k' }],
          Pad: 'p'.repeat(2000),
        }),
      ),
      Buffer.from(JSON.stringify([{ StreamName: 's', Pad: 'p'.repeat(2000) }])),
    ];
    for (const body of bad) {
      const worked = await offload.decode('Kinesis_20131202.PutRecords', 'json', owned(body));
      assert.ok(worked !== undefined);
      assert.equal(worked.input, undefined);
      assert.deepEqual(worked.body, body);
    }
  });

  it('leaves small bodies, other operations and bursts beyond its bound to the main thread', async () => {
    assert.equal(offload.decode('Kinesis_20131202.PutRecords', 'json', Buffer.from('{}')), undefined);
    const body = viewOf(putRecordsBody(100));
    assert.equal(offload.decode('Kinesis_20131202.PutRecord', 'json', body), undefined);
    const taken = Array.from({ length: 6 }, () =>
      offload.decode('Kinesis_20131202.PutRecords', 'json', body),
    );
    assert.equal(taken.filter((promise) => promise !== undefined).length, 4);
    for (const promise of taken) if (promise !== undefined) assert.ok((await promise).input !== undefined);
    assert.ok(
      offload.decode('Kinesis_20131202.PutRecords', 'json', body) !== undefined,
      'room again once answered',
    );
  });

  it('stops its worker when idle and starts it again with the next large body', async () => {
    const idle = new DecodeOffload(shapes, { minBodyBytes: 0, idleMs: 50 });
    idle.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3));
    await idle.ready();
    assert.ok(
      (await idle.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3)))?.input !== undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(idle.isReady, false);
    assert.equal(
      idle.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3)),
      undefined,
      'starting again',
    );
    await idle.ready();
    assert.ok(
      (await idle.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3)))?.input !== undefined,
    );
    await idle.close();
  });

  it('takes nothing once closed', async () => {
    const closed = new DecodeOffload(shapes, { minBodyBytes: 0 });
    closed.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3));
    await closed.ready();
    const pending = closed.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3));
    await closed.close();
    assert.equal((await pending)?.input, undefined, 'what was waiting is given back undecoded');
    assert.equal(closed.decode('Kinesis_20131202.PutRecords', 'json', putRecordsBody(3)), undefined);
  });
});
