/**
 * The two Snappy stream framings Firehose produces (both verified byte for byte against real
 * objects by the floci project, floci-io/floci#2328):
 *
 * - `Snappy`: the xerial snappy-java `SnappyOutputStream` format, not Google's framing format.
 *   A 16-byte header (magic `82 53 4E 41 50 50 59 00`, int32 BE version 1, int32 BE compatible
 *   version 1) then, per input block of at most 32 KiB, `[int32 BE compressed length][raw block]`.
 * - `HADOOP_SNAPPY`: Hadoop's `BlockCompressorStream` as snappy-java's
 *   `SnappyHadoopCompatibleOutputStream` writes it: per input block of at most 32 KiB,
 *   `[int32 BE uncompressed length][int32 BE compressed length][raw block]`.
 *
 * An empty input gives the bare header (xerial) or no bytes at all (Hadoop).
 */
import { snappyCompressBlock } from './snappy-raw.js';

/** snappy-java's `SnappyOutputStream.DEFAULT_BLOCK_SIZE`. */
export const SNAPPY_BLOCK_BYTES = 32 * 1024;

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;

export function xerialSnappyStream(input: Uint8Array): Buffer {
  const header = Buffer.alloc(16);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  const parts: Buffer[] = [header];
  for (let start = 0; start < input.length; start += SNAPPY_BLOCK_BYTES) {
    const block = snappyCompressBlock(input.subarray(start, start + SNAPPY_BLOCK_BYTES));
    parts.push(int32BE(block.length), block);
  }
  return Buffer.concat(parts);
}

export function hadoopSnappyStream(input: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  for (let start = 0; start < input.length; start += SNAPPY_BLOCK_BYTES) {
    const chunk = input.subarray(start, start + SNAPPY_BLOCK_BYTES);
    const block = snappyCompressBlock(chunk);
    parts.push(int32BE(chunk.length), int32BE(block.length), block);
  }
  return Buffer.concat(parts);
}

function int32BE(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value, 0);
  return bytes;
}
