/**
 * Compresses one delivered object as Firehose's `CompressionFormat` asks, and names the key
 * suffix and the `Content-Encoding` AWS gives such an object (floci-io/floci#2410, which compared
 * with real objects; the Developer Guide's `.hsnappy` for HADOOP_SNAPPY is not what AWS writes):
 *
 * | format          | extension | Content-Encoding | bytes                                 |
 * | UNCOMPRESSED    | (none)    | (none)           | as given                              |
 * | GZIP            | `.gz`     | `gzip`           | one gzip member                       |
 * | ZIP             | `.zip`    | `zip`            | one DEFLATE entry named with a UUID   |
 * | Snappy          | `.snappy` | `snappy-java`    | xerial snappy-java stream             |
 * | HADOOP_SNAPPY   | `.snappy` | `hadoop-snappy`  | Hadoop block stream                   |
 *
 * Pure and stateless (the clock only stamps the ZIP entry), so it can run in a worker thread.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Clock } from '../../core/clock.js';
import { unreachable } from '../../core/assert.js';
import { hadoopSnappyStream, xerialSnappyStream } from './snappy-framing.js';
import { zipSingleEntry } from './zip-archive.js';

/** The model's `CompressionFormat` enum. */
export const COMPRESSION_FORMATS = ['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'] as const;
export type CompressionFormat = (typeof COMPRESSION_FORMATS)[number];

export interface CompressedObject {
  readonly body: Buffer;
  /** The default key suffix; a destination's `FileExtension` replaces it. */
  readonly extension: string;
}

export function isCompressionFormat(value: string): value is CompressionFormat {
  return (COMPRESSION_FORMATS as readonly string[]).includes(value);
}

export function compressObject(format: CompressionFormat, body: Buffer, clock: Clock): CompressedObject {
  switch (format) {
    case 'UNCOMPRESSED':
      return { body, extension: '' };
    case 'GZIP':
      return { body: gzipSync(body), extension: '.gz' };
    case 'ZIP':
      return {
        body: zipSingleEntry({ name: randomUUID(), data: body, modifiedMs: clock.nowMs() }),
        extension: '.zip',
      };
    case 'Snappy':
      return { body: xerialSnappyStream(body), extension: '.snappy' };
    case 'HADOOP_SNAPPY':
      return { body: hadoopSnappyStream(body), extension: '.snappy' };
    default:
      return unreachable(format, 'compression format');
  }
}

/** The `Content-Encoding` AWS stores with such an object, or undefined for none. */
export function contentEncoding(format: CompressionFormat): string | undefined {
  switch (format) {
    case 'UNCOMPRESSED':
      return undefined;
    case 'GZIP':
      return 'gzip';
    case 'ZIP':
      return 'zip';
    case 'Snappy':
      return 'snappy-java';
    case 'HADOOP_SNAPPY':
      return 'hadoop-snappy';
    default:
      return unreachable(format, 'compression format');
  }
}
