/**
 * NextTokens for ListStreams and ListShards: sealed, self-contained (what was listed and where
 * the page ended), valid for 300 seconds like AWS's.
 */
import { expiredNextToken, invalidArgument } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { TokenSealer } from './sealed-token.js';

interface Envelope<T> {
  readonly kind: string;
  readonly issuedMs: number;
  readonly body: T;
}

export function sealPagingToken(sealer: TokenSealer, kind: string, body: unknown, nowMs: number): string {
  return sealer.seal(Buffer.from(JSON.stringify({ kind, issuedMs: nowMs, body }), 'utf8'));
}

export function openPagingToken<T>(sealer: TokenSealer, kind: string, token: string, nowMs: number): T {
  const payload = sealer.open(token);
  let envelope: Envelope<T> | undefined;
  if (payload !== undefined) {
    const parsed = JSON.parse(payload.toString('utf8')) as Envelope<T>;
    if (parsed.kind === kind) envelope = parsed;
  }
  if (envelope === undefined) throw invalidArgument(`Invalid NextToken: ${token}`);
  if (nowMs - envelope.issuedMs > limits.nextTokenLifetimeMs) {
    throw expiredNextToken(
      `The NextToken has expired. It was issued at ${new Date(envelope.issuedMs).toISOString()}, ` +
        `more than ${limits.nextTokenLifetimeMs} milliseconds ago.`,
    );
  }
  return envelope.body;
}
