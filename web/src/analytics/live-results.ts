/**
 * The live-results feed of an in-application stream: `GET /_tributary/analytics/live?application=
 * <name>&stream=<STREAM>` as server-sent events (`row` events carry `{"rowtime","row"}`,
 * `status` events the application's status, `dropped` events how many rows the server skipped
 * for a slow reader). EventSource cannot send headers, so the URL is presigned with SigV4 query
 * parameters (X-Amz-Credential names the account), with the SDK's own signer.
 */
import { Sha256 } from '@aws-crypto/sha256-browser';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../session.js';

export const livePath = '/_tributary/analytics/live';
/** A presigned URL is good for this long; EventSource reconnects get a fresh one. */
const presignExpiresSeconds = 300;

export interface LiveRow {
  readonly rowtime: string;
  readonly row: Readonly<Record<string, unknown>>;
}

export interface LiveHandlers {
  onRow(row: LiveRow): void;
  onStatus(status: string): void;
  onDropped(count: number): void;
  onOpen(): void;
  /** The connection closed; the caller decides whether to reconnect. */
  onClosed(): void;
}

export async function presignLiveUrl(
  credentials: Credentials,
  application: string,
  stream: string,
): Promise<string> {
  const signer = new SignatureV4({
    service: 'kinesisanalytics',
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: Sha256,
  });
  const location = window.location;
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: location.protocol,
      hostname: location.hostname,
      port: location.port === '' ? undefined : Number(location.port),
      path: livePath,
      query: { application, stream },
      headers: { host: location.host },
    },
    { expiresIn: presignExpiresSeconds },
  );
  const url = new URL(livePath, location.origin);
  for (const [name, value] of Object.entries(signed.query ?? {})) {
    if (typeof value === 'string') url.searchParams.set(name, value);
    else if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, item);
  }
  return url.toString();
}

/** Opens the feed; returns a function that closes it. */
export function openLiveFeed(url: string, handlers: LiveHandlers): () => void {
  const source = new EventSource(url);
  source.addEventListener('open', () => handlers.onOpen());
  source.addEventListener('row', (event) => {
    const parsed = parseData(event);
    if (isLiveRow(parsed)) handlers.onRow(parsed);
  });
  source.addEventListener('status', (event) => {
    const parsed = parseData(event) as { status?: unknown } | undefined;
    if (typeof parsed?.status === 'string') handlers.onStatus(parsed.status);
  });
  source.addEventListener('dropped', (event) => {
    const parsed = parseData(event) as { count?: unknown } | undefined;
    if (typeof parsed?.count === 'number') handlers.onDropped(parsed.count);
  });
  source.addEventListener('error', () => {
    // EventSource would retry with the same (possibly expired) URL; the caller presigns anew.
    source.close();
    handlers.onClosed();
  });
  return () => source.close();
}

function parseData(event: Event): unknown {
  const data = (event as MessageEvent<string>).data;
  try {
    return JSON.parse(data);
  } catch {
    console.warn('live results: an event that is not JSON was ignored', data);
    return undefined;
  }
}

function isLiveRow(value: unknown): value is LiveRow {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { rowtime?: unknown; row?: unknown };
  return typeof candidate.rowtime === 'string' && candidate.row !== null && typeof candidate.row === 'object';
}
