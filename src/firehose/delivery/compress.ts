/**
 * Compression of a delivered object (the destination's CompressionFormat), applied to the whole
 * object after records are concatenated. GZIP is a single gzip member, as AWS writes it.
 *
 * Only UNCOMPRESSED and GZIP are built here; ZIP, Snappy and HADOOP_SNAPPY are refused at
 * CreateDeliveryStream/UpdateDestination (`checkCompressionSupported`) instead of being written
 * uncompressed. The function is pure (no state), so it can move to a worker thread.
 */
import { gzipSync } from 'node:zlib';
import type { Clock } from '../../core/clock.js';
import { invalidArgument } from '../../core/errors.js';

export interface CompressedObject {
  readonly body: Buffer;
  /** The key's default extension for this format ('' when uncompressed). */
  readonly extension: string;
}

const supportedFormats = new Set(['UNCOMPRESSED', 'GZIP']);

/** InvalidArgumentException for a CompressionFormat Tributary cannot write yet. */
export function checkCompressionSupported(format: string): void {
  if (!supportedFormats.has(format)) {
    throw invalidArgument(`CompressionFormat ${format} is not supported yet by this Firehose endpoint.`);
  }
}

export function compressObject(format: string, body: Buffer, _clock: Clock): CompressedObject {
  switch (format) {
    case 'UNCOMPRESSED':
      return { body, extension: '' };
    case 'GZIP':
      return { body: gzipSync(body), extension: '.gz' };
    default:
      // Refused at create/update time, so a stored configuration never names another format.
      throw new Error(`compressObject: unsupported format ${format}`);
  }
}
