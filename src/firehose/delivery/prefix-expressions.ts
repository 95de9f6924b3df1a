/**
 * S3 object prefixes: `!{namespace:value}` expressions, their create-time validation and their
 * evaluation when an object is written, in UTC or the destination's CustomTimeZone.
 *
 * Supported namespaces: `timestamp` (a Java DateTimeFormatter pattern evaluated at the arrival
 * time of the object's oldest record), `firehose:random-string` (11 random characters per
 * occurrence), `firehose:error-output-type` (ErrorOutputPrefix only), and, in a Prefix with
 * dynamic partitioning enabled, `partitionKeyFromQuery:<key>` (a key the MetadataExtraction jq
 * query gave) and `partitionKeyFromLambda:<key>` (a key of the function's
 * `metadata.partitionKeys`). A partition key the record lacks makes evaluation fail with
 * `MissingPartitionKeyError`: the record goes to the error output.
 */
import { randomBytes } from 'node:crypto';
import { invalidArgument, type ServiceError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'timestamp'; readonly pattern: readonly PatternPart[] }
  | { readonly kind: 'random' }
  | { readonly kind: 'errorOutputType' }
  | { readonly kind: 'partitionKey'; readonly source: PartitionKeySource; readonly key: string };

/** Where a partition key comes from: the jq query (`Query`) or the function's response (`Lambda`). */
export type PartitionKeySource = 'Query' | 'Lambda';

/** A record's partition keys by source, as `!{partitionKeyFrom<source>:<key>}` reads them. */
export interface PartitionKeys {
  readonly Query?: Readonly<Record<string, string>>;
  readonly Lambda?: Readonly<Record<string, string>>;
}

/** A Prefix names a partition key that the record does not have. */
export class MissingPartitionKeyError extends Error {
  override readonly name = 'MissingPartitionKeyError';
}

type PatternPart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly letter: string; readonly width: number };

const prefixRule = (rule: string): ServiceError =>
  invalidArgument(`Ths supplied prefix(es) do not satisfy the following constraint: ${rule}`);

/** Whether a prefix contains at least one `!{...}` expression. */
export const hasExpressions = (prefix: string | undefined): boolean => prefix?.includes('!{') === true;

/** Parses a prefix; InvalidArgumentException names the first broken rule. */
export function parsePrefix(prefix: string, which: 'Prefix' | 'ErrorOutputPrefix'): Part[] {
  const parts: Part[] = [];
  let at = 0;
  while (at < prefix.length) {
    const start = prefix.indexOf('!{', at);
    if (start < 0) {
      parts.push({ kind: 'text', text: prefix.slice(at) });
      break;
    }
    if (start > at) parts.push({ kind: 'text', text: prefix.slice(at, start) });
    const end = prefix.indexOf('}', start);
    if (end < 0) throw prefixRule(`${which} contains an expression that is not closed with '}'`);
    parts.push(parseExpression(prefix.slice(start + 2, end), which));
    at = end + 1;
  }
  return parts;
}

function parseExpression(body: string, which: 'Prefix' | 'ErrorOutputPrefix'): Part {
  const colon = body.indexOf(':');
  const namespace = colon < 0 ? body : body.slice(0, colon);
  const value = colon < 0 ? '' : body.slice(colon + 1);
  switch (namespace) {
    case 'timestamp':
      return { kind: 'timestamp', pattern: parseTimestampPattern(value) };
    case 'firehose':
      if (value === 'random-string') return { kind: 'random' };
      if (value === 'error-output-type') {
        if (which === 'Prefix') {
          throw prefixRule('The Prefix must not contain the expression !{firehose:error-output-type}');
        }
        return { kind: 'errorOutputType' };
      }
      throw prefixRule(`The expression !{firehose:${value}} is not supported`);
    case 'partitionKeyFromQuery':
    case 'partitionKeyFromLambda':
      if (which === 'ErrorOutputPrefix') {
        throw prefixRule(`The ErrorOutputPrefix must not contain the expression !{${namespace}:${value}}`);
      }
      if (value === '') throw prefixRule(`The ${namespace} expression must name a partition key`);
      return {
        kind: 'partitionKey',
        source: namespace === 'partitionKeyFromQuery' ? 'Query' : 'Lambda',
        key: value,
      };
    default:
      throw prefixRule(`The expression namespace '${namespace}' is not supported`);
  }
}

/**
 * A Java DateTimeFormatter pattern: the letters y, M, d, H, h, m, s, S, with text in single
 * quotes and any other non-letter character taken literally. Other letters are refused.
 */
function parseTimestampPattern(pattern: string): PatternPart[] {
  if (pattern === '') throw prefixRule('The timestamp expression must have a non-empty pattern');
  const parts: PatternPart[] = [];
  let at = 0;
  while (at < pattern.length) {
    const char = pattern.charAt(at);
    if (char === "'") {
      const close = pattern.indexOf("'", at + 1);
      if (close < 0) throw prefixRule(`The timestamp pattern '${pattern}' has an unclosed quote`);
      parts.push({ kind: 'literal', text: close === at + 1 ? "'" : pattern.slice(at + 1, close) });
      at = close + 1;
    } else if (/[A-Za-z]/.test(char)) {
      if (!'yMdHhmsS'.includes(char)) {
        throw prefixRule(`The timestamp pattern '${pattern}' is not a valid DateTimeFormatter pattern`);
      }
      let width = 1;
      while (pattern.charAt(at + width) === char) width++;
      parts.push({ kind: 'field', letter: char, width });
      at += width;
    } else {
      parts.push({ kind: 'literal', text: char });
      at++;
    }
  }
  return parts;
}

/**
 * AWS's rules for a destination's Prefix and ErrorOutputPrefix, checked at CreateDeliveryStream
 * and UpdateDestination.
 */
export function validatePrefixes(
  prefix: string | undefined,
  errorOutputPrefix: string | undefined,
  dynamicPartitioning = false,
): void {
  const prefixParts = prefix === undefined ? [] : parsePrefix(prefix, 'Prefix');
  const partitionKeyParts = prefixParts.filter((part) => part.kind === 'partitionKey');
  if (!dynamicPartitioning && partitionKeyParts.length > 0) {
    throw prefixRule(
      'The partitionKeyFromQuery and partitionKeyFromLambda namespaces require dynamic partitioning to be enabled',
    );
  }
  if (dynamicPartitioning && partitionKeyParts.length === 0) {
    throw prefixRule(
      'When dynamic partitioning is enabled, the Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression',
    );
  }
  const errorParts =
    errorOutputPrefix === undefined ? [] : parsePrefix(errorOutputPrefix, 'ErrorOutputPrefix');
  const prefixHasExpressions = prefixParts.some((part) => part.kind !== 'text');
  if (prefixHasExpressions && (errorOutputPrefix === undefined || errorOutputPrefix === '')) {
    throw prefixRule('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions');
  }
  const errorHasExpressions = errorParts.some((part) => part.kind !== 'text');
  if (errorHasExpressions && !errorParts.some((part) => part.kind === 'errorOutputType')) {
    throw prefixRule(
      'ErrorOutputPrefix must contain !{firehose:error-output-type} at least once when it contains expressions',
    );
  }
}

export interface PrefixContext {
  /** Arrival time of the object's oldest record. */
  readonly timestampMs: number;
  /** CustomTimeZone (an IANA id); UTC when absent or empty. */
  readonly timeZone?: string;
  readonly errorOutputType?: string;
  /** The partition keys of the object's records (dynamic partitioning). */
  readonly partitionKeys?: PartitionKeys;
}

/** The partition-key expressions of a Prefix, in order (to group records by their values). */
export function partitionKeyReferences(
  prefix: string | undefined,
): { readonly source: PartitionKeySource; readonly key: string }[] {
  if (prefix === undefined) return [];
  const references: { source: PartitionKeySource; key: string }[] = [];
  for (const part of parsePrefix(prefix, 'Prefix')) {
    if (part.kind === 'partitionKey') references.push({ source: part.source, key: part.key });
  }
  return references;
}

/**
 * The prefix of an object's key. No prefix, or one without expressions, gets AWS's default time
 * path `yyyy/MM/dd/HH/` appended (concatenated as is: users end their prefixes with `/`).
 */
export function evaluatePrefix(prefix: string | undefined, context: PrefixContext): string {
  const text = prefix ?? '';
  const parts = parsePrefix(text, context.errorOutputType === undefined ? 'Prefix' : 'ErrorOutputPrefix');
  let result = '';
  for (const part of parts) result += evaluatePart(part, context);
  if (!hasExpressions(text))
    result += formatTimestamp(defaultTimePath, context.timestampMs, context.timeZone);
  if (result.length > limits.evaluatedPrefixLengthMax) {
    // Refused at write time as AWS does (the object goes nowhere); see docs/firehose.md.
    throw prefixRule(`The evaluated prefix is longer than ${limits.evaluatedPrefixLengthMax} characters`);
  }
  return result;
}

const defaultTimePath = parseTimestampPattern('yyyy/MM/dd/HH/');

function evaluatePart(part: Part, context: PrefixContext): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'timestamp':
      return formatTimestamp(part.pattern, context.timestampMs, context.timeZone);
    case 'random':
      return randomString();
    case 'errorOutputType':
      return context.errorOutputType ?? '';
    case 'partitionKey': {
      const value = context.partitionKeys?.[part.source]?.[part.key];
      if (value === undefined) {
        throw new MissingPartitionKeyError(
          `The partition key ${part.key} (partitionKeyFrom${part.source}) is missing from the record`,
        );
      }
      return value;
    }
  }
}

const randomAlphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 11 characters, as `!{firehose:random-string}` gives. */
function randomString(): string {
  const bytes = randomBytes(11);
  let text = '';
  for (const byte of bytes) text += randomAlphabet.charAt(byte % randomAlphabet.length);
  return text;
}

interface TimeFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

function formatTimestamp(pattern: readonly PatternPart[], timestampMs: number, timeZone?: string): string {
  const fields = timeFieldsOf(timestampMs, timeZone);
  let text = '';
  for (const part of pattern) {
    text += part.kind === 'literal' ? part.text : formatField(part.letter, part.width, fields);
  }
  return text;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in UTC, or in an IANA time zone. */
function timeFieldsOf(timestampMs: number, timeZone: string | undefined): TimeFields {
  const date = new Date(timestampMs);
  if (timeZone === undefined || timeZone === '' || timeZone === 'UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond: date.getUTCMilliseconds(),
    };
  }
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    format = zoneFormat(timeZone);
    zoneFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: date.getUTCMilliseconds(),
  };
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** InvalidArgumentException unless `timeZone` is an IANA time zone id this runtime knows. */
export function validateTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined || timeZone === '') return;
  try {
    zoneFormat(timeZone);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw invalidArgument(`CustomTimeZone ${timeZone} is not a valid time zone.`);
  }
}

function formatField(letter: string, width: number, fields: TimeFields): string {
  const pad = (value: number): string => String(value).padStart(width, '0');
  switch (letter) {
    case 'y':
      // Java: `yy` is the two-digit year; any other width pads the full year.
      return width === 2 ? String(fields.year % 100).padStart(2, '0') : pad(fields.year);
    case 'M':
      return pad(fields.month);
    case 'd':
      return pad(fields.day);
    case 'H':
      return pad(fields.hour);
    case 'h':
      return pad(fields.hour % 12 === 0 ? 12 : fields.hour % 12);
    case 'm':
      return pad(fields.minute);
    case 's':
      return pad(fields.second);
    case 'S':
      // Fraction of a second: the first `width` digits of the milliseconds (then zeros).
      return String(fields.millisecond).padStart(3, '0').padEnd(width, '0').slice(0, width);
    default:
      throw new Error(`unsupported timestamp letter ${letter}`);
  }
}

/** `YYYY-MM-dd-HH-mm-ss` of an object name, in the destination's time zone. */
export function objectNameTime(timestampMs: number, timeZone?: string): string {
  return formatTimestamp(objectNameTimePattern, timestampMs, timeZone);
}

const objectNameTimePattern = parseTimestampPattern('yyyy-MM-dd-HH-mm-ss');
