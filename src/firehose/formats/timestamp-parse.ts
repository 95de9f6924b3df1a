/**
 * Timestamp text as the two JSON SerDes read it, to a point in time (UTC): epoch milliseconds as
 * a number when the value has no finer part (the common case, kept off BigInt for speed), else
 * epoch nanoseconds as a bigint.
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
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const SQL_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z)?$/;

export type Instant = number | bigint;

export function parseOpenXTimestamp(text: string): Instant | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) return parseSqlTimestamp(trimmed);
  if (/^-?\d+$/.test(trimmed)) {
    const digits = trimmed.replace('-', '').length;
    return fromInteger(BigInt(trimmed), digits >= 13 ? NANOS_PER_MS : NANOS_PER_SECOND);
  }
  if (/^-?\d*\.\d+$|^-?\d+\.\d*$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isFinite(seconds) ? Math.trunc(seconds * 1000) : undefined;
  }
  return undefined;
}

/** `value` units of `unitNanos` each, as milliseconds when that is exact and safe. */
function fromInteger(value: bigint, unitNanos: bigint): Instant {
  const nanos = value * unitNanos;
  const ms = nanos / NANOS_PER_MS;
  return ms * NANOS_PER_MS === nanos && ms >= -MAX_SAFE && ms <= MAX_SAFE ? Number(ms) : nanos;
}

export function parseHiveTimestamp(
  text: string,
  formats: readonly CompiledTimestampFormat[],
): Instant | undefined {
  for (const format of formats) {
    const value = format(text);
    if (value !== undefined) return value;
  }
  return parseSqlTimestamp(text.trim());
}

export type CompiledTimestampFormat = (text: string) => Instant | undefined;

export function compileTimestampFormat(pattern: string): CompiledTimestampFormat {
  if (pattern === 'millis') {
    return (text) =>
      /^-?\d+$/.test(text.trim()) ? fromInteger(BigInt(text.trim()), NANOS_PER_MS) : undefined;
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

function parseSqlTimestamp(text: string): Instant | undefined {
  const fast = parseFixedTimestamp(text);
  if (fast !== undefined) return fast;
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

/**
 * The common exact form `yyyy-MM-dd[T ]HH:mm:ss[.SSS][Z]` read without a regular expression or
 * Date object (days from the civil date, Howard Hinnant's algorithm); undefined for anything
 * else, which the general path then reads.
 */
function parseFixedTimestamp(text: string): number | undefined {
  const length = text.length;
  if (length < 19 || length > 24) return undefined;
  const at = (index: number) => text.charCodeAt(index) - 48;
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (separator !== 84 && separator !== 32))
    return undefined;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  let end = length;
  if (text.charCodeAt(end - 1) === 90) end--; // Z
  let millis = 0;
  if (end > 19) {
    if (text.charCodeAt(19) !== 46 || end - 20 < 1 || end - 20 > 3) return undefined;
    for (let index = 20; index < 23; index++) {
      const digit = index < end ? at(index) : 0;
      if (digit < 0 || digit > 9) return undefined;
      millis = millis * 10 + digit;
    }
  }
  const fields = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
  for (const index of fields) {
    const digit = at(index);
    if (digit < 0 || digit > 9) return undefined;
  }
  const year = at(0) * 1000 + at(1) * 100 + at(2) * 10 + at(3);
  const month = at(5) * 10 + at(6);
  const day = at(8) * 10 + at(9);
  const hour = at(11) * 10 + at(12);
  const minute = at(14) * 10 + at(15);
  const second = at(17) * 10 + at(18);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return (
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function toNanos(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string,
): Instant | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  const ms = date.getTime() + hour * 3_600_000 + minute * 60_000 + second * 1000;
  const nanos = fraction.padEnd(9, '0').slice(0, 9);
  if (nanos.endsWith('000000')) return ms + Number(nanos.slice(0, 3));
  return BigInt(ms) * NANOS_PER_MS + BigInt(nanos);
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
