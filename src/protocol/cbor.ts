/**
 * CBOR (RFC 8949) codec for `application/x-amz-cbor-1.1`, written here so that AWS's deviation
 * is ours to control: tag 1 carries epoch MILLISECONDS (Java SDK `Instant.toEpochMilli()`), not
 * seconds. The decoder and encoder live in their own files; this is the public entry.
 */

export { cborDepthMax, decodeCbor } from './cbor-decoder.js';
export { encodeCbor } from './cbor-encoder.js';
