/**
 * How record data and hash keys are shown: bytes as text, JSON or hex; 128-bit hash keys as
 * fractions of the key space for drawing; capacities with units.
 */

export const dataFormats = ['text', 'json', 'hex'] as const;
export type DataFormat = (typeof dataFormats)[number];

const utf8 = new TextDecoder('utf-8', { fatal: false });
const hexBytesPerLine = 16;

export function formatData(data: Uint8Array, format: DataFormat): string {
  switch (format) {
    case 'text':
      return utf8.decode(data);
    case 'json':
      return formatJson(utf8.decode(data));
    case 'hex':
      return formatHex(data);
  }
}

/** Pretty-printed JSON, or the text with a note when it does not parse. */
function formatJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not every record is JSON; the viewer says so instead of failing the page.
    return `(not JSON) ${text}`;
  }
}

function formatHex(data: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < data.length; offset += hexBytesPerLine) {
    const bytes = Array.from(data.subarray(offset, offset + hexBytesPerLine));
    const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = bytes
      .map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.'))
      .join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(hexBytesPerLine * 3 - 1)}  ${ascii}`);
  }
  return lines.join('\n');
}

export const hashKeyMax = (1n << 128n) - 1n;

/** Where a decimal 128-bit hash key falls in the key space, from 0 to 1. */
export function hashKeyFraction(hashKey: string): number {
  return Number((BigInt(hashKey) * 1_000_000n) / hashKeyMax) / 1_000_000;
}

/** The hash key that splits a shard's range in two equal halves. */
export function midpointHashKey(startingHashKey: string, endingHashKey: string): string {
  const start = BigInt(startingHashKey);
  const end = BigInt(endingHashKey);
  return (start + (end - start + 1n) / 2n).toString();
}

/** A short form of a shard id for drawings: `shardId-000000000007` → `7`. */
export function shortShardId(shardId: string): string {
  const match = /-0*(\d+)$/.exec(shardId);
  return match?.[1] ?? shardId;
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatDate(value: Date | undefined): string {
  return value === undefined
    ? '—'
    : value
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
