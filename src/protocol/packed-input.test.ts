import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packInput, unpackInput } from './packed-input.js';

describe('packed inputs', () => {
  it('carry blobs by reference into one buffer and give them back as Buffers', () => {
    const input = {
      StreamName: 'stream',
      Records: [
        { Data: Buffer.from([0, 1, 255]), PartitionKey: 'k1' },
        { Data: Buffer.alloc(0), PartitionKey: 'k2', ExplicitHashKey: '7' },
        { Data: Buffer.from('é €'), PartitionKey: '$b' },
      ],
      Nested: { List: [[Buffer.from('x')], 3, true, null, 'text'] },
    };
    const packed = packInput(input);
    assert.ok(packed !== undefined);
    assert.equal(packed.bytes.length, 3 + 0 + Buffer.byteLength('é €') + 1);
    const unpacked = unpackInput(packed);
    assert.deepEqual(unpacked, input);
    const records = unpacked.Records as { Data: Buffer }[];
    assert.ok(records.every((record) => Buffer.isBuffer(record.Data)));
  });

  it('refuses values JSON cannot carry, so the caller decodes on the main thread', () => {
    assert.equal(packInput({ At: new Date(0) }), undefined);
    assert.equal(packInput({ Ratio: Number.NaN }), undefined);
    assert.equal(packInput({ Big: 1n }), undefined);
    assert.ok(packInput({ Plain: Object.assign(Object.create(null) as object, { a: 1 }) }) !== undefined);
  });
});
