/**
 * Raw Snappy blocks (no framing): one call compresses one block. The framings that Firehose
 * writes (xerial snappy-java streams, Hadoop blocks) and Parquet's SNAPPY pages are built on this.
 */
import snappy from 'snappyjs';

export function snappyCompressBlock(input: Uint8Array): Buffer {
  const out = snappy.compress(input);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function snappyUncompressBlock(input: Uint8Array): Buffer {
  const out = snappy.uncompress(input);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
