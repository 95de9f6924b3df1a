/**
 * The processors for CloudWatch Logs subscription data, which arrives as one gzip member per
 * Firehose record holding a JSON envelope:
 * `{"messageType":"DATA_MESSAGE","owner","logGroup","logStream","subscriptionFilters":[…],
 * "logEvents":[{"id","timestamp","message"},…]}` (or `"CONTROL_MESSAGE"`, CloudWatch Logs'
 * reachability check, whose events are not log data).
 *
 * - `Decompression` (`CompressionFormat` GZIP): the record becomes its decompressed bytes.
 * - `CloudWatchLogProcessing` with `DataMessageExtraction` true: a DATA_MESSAGE envelope becomes
 *   one record per log event, holding only its `message`; a CONTROL_MESSAGE becomes no record.
 *
 * A record that does not decompress, or (with extraction) is not such an envelope, fails with its
 * original (compressed) bytes to the `decompression-failed` error output, as AWS writes it.
 */
import { gunzipSync } from 'node:zlib';
import { limits } from '../../core/limits.js';

export type Outcome<T> = { readonly ok: T } | { readonly errorCode: string; readonly errorMessage: string };

export function decompressGzip(data: Buffer): Outcome<Buffer> {
  try {
    return { ok: gunzipSync(data, { maxOutputLength: limits.decompressedRecordBytesMax }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        errorCode: 'Decompression.RecordTooLarge',
        errorMessage: `The decompressed record is larger than ${limits.decompressedRecordBytesMax} bytes.`,
      };
    }
    return {
      errorCode: 'Decompression.Failed',
      errorMessage: `The record could not be decompressed as GZIP: ${(error as Error).message}`,
    };
  }
}

/** The messages of a decompressed CloudWatch Logs envelope, in order; none for a CONTROL_MESSAGE. */
export function extractLogMessages(envelope: Buffer): Outcome<Buffer[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope.toString('utf8'));
  } catch {
    return notAnEnvelope('it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return notAnEnvelope('it is not a JSON object');
  }
  const { messageType, logEvents } = parsed as { messageType?: unknown; logEvents?: unknown };
  if (messageType === 'CONTROL_MESSAGE') return { ok: [] };
  if (messageType !== 'DATA_MESSAGE')
    return notAnEnvelope('its messageType is not DATA_MESSAGE or CONTROL_MESSAGE');
  if (!Array.isArray(logEvents)) return notAnEnvelope('it has no logEvents array');
  const messages: Buffer[] = [];
  for (const event of logEvents as unknown[]) {
    const message = (event as { message?: unknown } | null)?.message;
    if (typeof message !== 'string') return notAnEnvelope('a log event has no string message');
    messages.push(Buffer.from(message, 'utf8'));
  }
  return { ok: messages };
}

function notAnEnvelope(reason: string): Outcome<Buffer[]> {
  return {
    errorCode: 'CloudWatchLogProcessing.MessageExtractionFailed',
    errorMessage: `The record is not a CloudWatch Logs subscription message: ${reason}.`,
  };
}
