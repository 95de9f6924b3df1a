import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamCodec } from '@smithy/core/event-streams';
import {
  decodeEventStreamMessage,
  encodeEventStreamMessage,
  EventStreamDecoder,
  EventStreamError,
  stringHeader,
} from './event-stream.js';

const initialResponse = {
  headers: {
    ':message-type': 'event',
    ':event-type': 'initial-response',
    ':content-type': 'application/json',
  },
  payload: Buffer.from('{}'),
};

const smithyCodec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

describe('event-stream codec', () => {
  it('frames the initial-response exactly as the known 104-byte vector', () => {
    const frame = encodeEventStreamMessage(initialResponse);
    assert.equal(frame.length, 104);
    assert.equal(frame.subarray(0, 12).toString('hex'), '00000068000000564e681724');
    assert.equal(frame.subarray(100).toString('hex'), 'fe942c1d');
    assert.equal(frame.subarray(98, 100).toString('utf8'), '{}');
  });

  it('round-trips headers and payloads', () => {
    const message = {
      headers: { ':message-type': 'event', ':event-type': 'SubscribeToShardEvent', ünïcode: 'välue' },
      payload: Buffer.from([0, 1, 2, 255, 254]),
    };
    const decoded = decodeEventStreamMessage(encodeEventStreamMessage(message));
    assert.deepEqual(decoded.payload, message.payload);
    assert.equal(stringHeader(decoded, ':event-type'), 'SubscribeToShardEvent');
    assert.equal(stringHeader(decoded, 'ünïcode'), 'välue');
    const empty = decodeEventStreamMessage(
      encodeEventStreamMessage({ headers: {}, payload: Buffer.alloc(0) }),
    );
    assert.deepEqual(empty, { headers: {}, payload: Buffer.alloc(0) });
  });

  it('writes what the AWS SDK codec reads, and reads what it writes', () => {
    const ours = encodeEventStreamMessage(initialResponse);
    const read = smithyCodec.decode(ours);
    assert.deepEqual(read.headers[':event-type'], { type: 'string', value: 'initial-response' });
    assert.equal(Buffer.from(read.body).toString('utf8'), '{}');

    const theirs = Buffer.from(
      smithyCodec.encode({
        headers: {
          ':message-type': { type: 'string', value: 'event' },
          flag: { type: 'boolean', value: true },
          count: { type: 'integer', value: -7 },
          small: { type: 'short', value: 300 },
          tiny: { type: 'byte', value: -1 },
          bytes: { type: 'binary', value: new Uint8Array([9, 8]) },
          when: { type: 'timestamp', value: new Date(1_700_000_000_123) },
          id: { type: 'uuid', value: '0123a567-89ab-cdef-0123-456789abcdef' },
        },
        body: new Uint8Array(Buffer.from('payload')),
      }),
    );
    const decoded = decodeEventStreamMessage(theirs);
    assert.equal(decoded.payload.toString('utf8'), 'payload');
    assert.deepEqual(decoded.headers, {
      ':message-type': { type: 'string', value: 'event' },
      flag: { type: 'boolean', value: true },
      count: { type: 'integer', value: -7 },
      small: { type: 'short', value: 300 },
      tiny: { type: 'byte', value: -1 },
      bytes: { type: 'binary', value: Buffer.from([9, 8]) },
      when: { type: 'timestamp', value: new Date(1_700_000_000_123) },
      id: { type: 'uuid', value: '0123a567-89ab-cdef-0123-456789abcdef' },
    });
  });

  it('rejects a corrupted prelude CRC, message CRC, or length', () => {
    const frame = encodeEventStreamMessage(initialResponse);
    const badPrelude = Buffer.from(frame);
    badPrelude[9] = (badPrelude[9] as number) ^ 1;
    assert.throws(() => decodeEventStreamMessage(badPrelude), /prelude checksum/);
    const badPayload = Buffer.from(frame);
    badPayload[98] = 0x5b;
    assert.throws(() => decodeEventStreamMessage(badPayload), /message checksum/);
    const badCrc = Buffer.from(frame);
    badCrc[103] = (badCrc[103] as number) ^ 0x80;
    assert.throws(() => decodeEventStreamMessage(badCrc), EventStreamError);
    assert.throws(() => decodeEventStreamMessage(frame.subarray(0, 50)), /does not match/);
    assert.throws(() => decodeEventStreamMessage(Buffer.alloc(4)), /shorter/);
  });

  it('reassembles messages split across chunks and several in one chunk', () => {
    const first = encodeEventStreamMessage(initialResponse);
    const second = encodeEventStreamMessage({ headers: { a: 'b' }, payload: Buffer.from('x'.repeat(1000)) });
    const all = Buffer.concat([first, second, first]);
    for (const size of [1, 7, 104, 500, all.length]) {
      const decoder = new EventStreamDecoder();
      const messages = [];
      for (let at = 0; at < all.length; at += size)
        messages.push(...decoder.push(all.subarray(at, at + size)));
      assert.equal(messages.length, 3, `chunks of ${size}`);
      assert.equal(messages[1]?.payload.length, 1000);
      assert.equal(decoder.pendingBytes, 0);
    }
    const decoder = new EventStreamDecoder();
    const corrupt = Buffer.from(first);
    corrupt[2] = 0x7f;
    assert.throws(() => decoder.push(corrupt), /prelude checksum/);
  });
});
