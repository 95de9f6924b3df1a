/**
 * Shard iterators: a sealed (stream, shard, position, issue time) that any node can read.
 * The position is the log offset of the next record to return. The stream's creation time makes
 * an iterator of a deleted-and-recreated stream of the same name unusable, as on AWS.
 */
import type { TokenSealer } from './sealed-token.js';

export interface ShardIteratorState {
  readonly accountId: string;
  readonly region: string;
  readonly streamName: string;
  readonly streamCreatedMs: number;
  readonly shardIndex: number;
  readonly offset: number;
  readonly issuedMs: number;
}

const version = 1;

export function sealShardIterator(sealer: TokenSealer, state: ShardIteratorState): string {
  const region = Buffer.from(state.region, 'utf8');
  const account = Buffer.from(state.accountId, 'utf8');
  const name = Buffer.from(state.streamName, 'utf8');
  const payload = Buffer.allocUnsafe(1 + 8 + 8 + 4 + 8 + 3 + region.length + account.length + name.length);
  let at = payload.writeUInt8(version, 0);
  at = payload.writeDoubleBE(state.issuedMs, at);
  at = payload.writeDoubleBE(state.streamCreatedMs, at);
  at = payload.writeUInt32BE(state.shardIndex, at);
  at = payload.writeDoubleBE(state.offset, at);
  for (const part of [region, account, name]) {
    at = payload.writeUInt8(part.length, at);
    at += part.copy(payload, at);
  }
  return sealer.seal(payload);
}

export function openShardIterator(sealer: TokenSealer, token: string): ShardIteratorState | undefined {
  const payload = sealer.open(token);
  if (payload === undefined || payload.length < 32 || payload.readUInt8(0) !== version) return undefined;
  const issuedMs = payload.readDoubleBE(1);
  const streamCreatedMs = payload.readDoubleBE(9);
  const shardIndex = payload.readUInt32BE(17);
  const offset = payload.readDoubleBE(21);
  const parts: string[] = [];
  let at = 29;
  for (let index = 0; index < 3; index++) {
    const length = payload.readUInt8(at);
    at += 1;
    if (at + length > payload.length) return undefined;
    parts.push(payload.toString('utf8', at, at + length));
    at += length;
  }
  const [region, accountId, streamName] = parts;
  if (region === undefined || accountId === undefined || streamName === undefined) return undefined;
  return { accountId, region, streamName, streamCreatedMs, shardIndex, offset, issuedMs };
}
