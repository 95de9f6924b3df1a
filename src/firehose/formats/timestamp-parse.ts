/**
 * Timestamp text as the two JSON SerDes read it, to nanoseconds since the epoch (UTC):
 *
 * - OpenX (`org.openx.data.jsonserde`, `ParsePrimitiveUtils.parseTimestamp`): text with a `:` is
 *   `yyyy-[M]M-[d]d[ T]HH:mm:ss[.fraction][Z]`; otherwise a number, read as epoch milliseconds
 *   when it has 13 or more digits, epoch seconds when fewer, fractional epoch seconds with a `.`.
 * - Hive (`org.apache.hive.hcatalog.data.JsonSerDe`): each of `TimestampFormats` in turn (Joda
 *   patterns, or `millis` for epoch milliseconds), then `java.sql.Timestamp.valueOf`'s
 *   `yyyy-[m]m-[d]d hh:mm:ss[.f...]`.
 *
 * The Joda subset: y, M, d, H, h, m, s, S (fraction), a (AM/PM), Z (offset), quoted literals and
 * any other punctuation as literals. Returns undefined when the text does not fit.
 */

const NANOS_PER_MS = 1_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;

const SQL_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z)?$/;

export function parseOpenXTimestamp(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) return parseSqlTimestamp(trimmed);
  if (/^-?\d+$/.test(trimmed)) {
    const value = BigInt(trimmed);
    const digits = trimmed.replace('-', '').length;
    return digits >= 13 ? value * NANOS_PER_MS : value * NANOS_PER_SECOND;
  }
  if (/^-?\d*\.\d+$|^-?\d+\.\d*$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isFinite(seconds) ? BigInt(Math.trunc(seconds * 1000)) * NANOS_PER_MS : undefined;
  }
  return undefined;
}

export function parseHiveTimestamp(
  text: string,
  formats: readonly CompiledTimestampFormat[],
): bigint | undefined {
  for (const format of formats) {
    const value = format(text);
    if (value !== undefined) return value;
  }
  return parseSqlTimestamp(text.trim());
}

export type CompiledTimestampFormat = (text: string) => bigint | undefined;

export function compileTimestampFormat(pattern: string): CompiledTimestampFormat {
  if (pattern === 'millis') {
    return (text) => (/^-?\d+$/.test(text.trim()) ? BigInt(text.trim()) * NANOS_PER_MS : undefined);
  }
  const fields: string[] = [];
  let source = '';
  for (let at = 0; at < pattern.length;) {
    const char = pattern[at] ?? '';
    if (char === "'") {
      const close = pattern.indexOf("'", at + 1);
      const literal = close === -1 ? pattern.slice(at + 1) : pattern.slice(at + 1, close);
      source += literal === '' ? "'" : escapeRegExp(literal);
      at = close === -1 ? pattern.length : close + 1;
      continue;
    }
    let end = at;
    while (pattern[end] === char) end++;
    const width = end - at;
    at = end;
    if (/[yMdHhmsS]/.test(char)) {
      fields.push(char);
      source +=
        char === 'S'
          ? `(\\d{1,${Math.max(width, 9)}})`
          : width >= 2 && char !== 'y'
            ? `(\\d{${width}})`
            : '(\\d+)';
    } else if (char === 'a') {
      fields.push('a');
      source += '([AaPp][Mm])';
    } else if (char === 'Z') {
      fields.push('Z');
      source += '(Z|[+-]\\d{2}:?\\d{2})';
    } else {
      source += escapeRegExp(char.repeat(width));
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (text) => {
    const match = regex.exec(text.trim());
    if (match === null) return undefined;
    const parts = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
    let fraction = '';
    let pm: boolean | undefined;
    let offsetMinutes = 0;
    fields.forEach((field, index) => {
      const value = match[index + 1] ?? '';
      if (field === 'S') fraction = value;
      else if (field === 'a') pm = value.toLowerCase() === 'pm';
      else if (field === 'Z') offsetMinutes = parseOffset(value);
      else if (field === 'h') parts.H = Number(value) % 12;
      else parts[field as keyof typeof parts] = Number(value);
    });
    if (pm === true) parts.H += 12;
    return toNanos(parts.y, parts.M, parts.d, parts.H, parts.m - offsetMinutes, parts.s, fraction);
  };
}

function parseSqlTimestamp(text: string): bigint | undefined {
  const match = SQL_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction] = match;
  return toNanos(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    fraction ?? '',
  );
}

function toNanos(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string,
): bigint | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  const ms = date.getTime() + hour * 3_600_000 + minute * 60_000 + second * 1000;
  return BigInt(ms) * NANOS_PER_MS + BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0');
}

function parseOffset(text: string): number {
  if (text === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return text.startsWith('-') ? -minutes : minutes;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
