/**
 * Java SimpleDateFormat patterns for CHAR_TO_TIMESTAMP / TIMESTAMP_TO_CHAR and the log parsers:
 * letters y M d H h k K m s S E a D z Z X, quoted literals ('...', '' for a quote). UTC only.
 * A pattern compiles once into a formatter and a parser.
 */
import { conversionError } from './sql-runtime-error.js';

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Part = { readonly letter: string; readonly count: number } | { readonly literal: string };

function tokenize(pattern: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) {
        parts.push({ literal: "'" });
        i += 2;
        continue;
      }
      const end = close < 0 ? pattern.length : close;
      parts.push({ literal: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      parts.push({ letter: c, count: j - i });
      i = j;
    } else {
      parts.push({ literal: c });
      i++;
    }
  }
  return parts;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function compileFormatter(pattern: string): (ms: number) => string {
  const parts = tokenize(pattern);
  return (ms) => {
    const d = new Date(ms);
    let out = '';
    for (const p of parts) {
      if ('literal' in p) {
        out += p.literal;
        continue;
      }
      const n = p.count;
      switch (p.letter) {
        case 'y':
          out += n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
          break;
        case 'M':
          out +=
            n >= 4
              ? months[d.getUTCMonth()]
              : n === 3
                ? months[d.getUTCMonth()]!.slice(0, 3)
                : pad(d.getUTCMonth() + 1, n);
          break;
        case 'd':
          out += pad(d.getUTCDate(), n);
          break;
        case 'D':
          out += pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, n);
          break;
        case 'H':
          out += pad(d.getUTCHours(), n);
          break;
        case 'k':
          out += pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), n);
          break;
        case 'h':
          out += pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n);
          break;
        case 'K':
          out += pad(d.getUTCHours() % 12, n);
          break;
        case 'm':
          out += pad(d.getUTCMinutes(), n);
          break;
        case 's':
          out += pad(d.getUTCSeconds(), n);
          break;
        case 'S':
          out += pad(d.getUTCMilliseconds(), n);
          break;
        case 'E':
          out += n >= 4 ? days[d.getUTCDay()] : days[d.getUTCDay()]!.slice(0, 3);
          break;
        case 'a':
          out += d.getUTCHours() < 12 ? 'AM' : 'PM';
          break;
        case 'z':
          out += n >= 4 ? 'Coordinated Universal Time' : 'UTC';
          break;
        case 'Z':
          out += '+0000';
          break;
        case 'X':
          out += 'Z';
          break;
        default:
          out += p.letter.repeat(n);
      }
    }
    return out;
  };
}

const monthIndex = (text: string): number =>
  months.findIndex((m) => m.toLowerCase().startsWith(text.toLowerCase()) && text.length >= 3);

/** A parser for the pattern; it throws a conversion error (the row goes to error_stream) on mismatch. */
export function compileParser(pattern: string): (text: string) => number {
  const parts = tokenize(pattern);
  const regexParts: string[] = [];
  const fields: { letter: string; count: number }[] = [];
  for (const [i, p] of parts.entries()) {
    if ('literal' in p) {
      regexParts.push(p.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
      continue;
    }
    fields.push(p);
    const next = parts[i + 1];
    const adjacentNumber = next !== undefined && !('literal' in next);
    const width = adjacentNumber ? `{${p.count}}` : p.count === 1 ? '+' : `{1,${Math.max(p.count, 9)}}`;
    switch (p.letter) {
      case 'M':
        regexParts.push(p.count >= 3 ? '([A-Za-z]+)' : `(\\d${adjacentNumber ? `{${p.count}}` : '{1,2}'})`);
        break;
      case 'E':
      case 'a':
      case 'z':
        regexParts.push('([A-Za-z]+)');
        break;
      case 'Z':
      case 'X':
        regexParts.push('(Z|[+-]\\d{2}:?\\d{2})');
        break;
      case 'y':
        regexParts.push(p.count === 2 ? '(\\d{2})' : `(\\d${adjacentNumber ? `{${p.count}}` : '{1,4}'})`);
        break;
      default:
        regexParts.push(`(\\d${width})`);
    }
  }
  const regex = new RegExp(`^\\s*${regexParts.join('')}\\s*$`);
  return (text) => {
    const match = regex.exec(text);
    if (match === null) throw conversionError(`Cannot parse '${text}' with format '${pattern}'`);
    let year = 1970;
    let month = 0;
    let day = 1;
    let hour = 0;
    let pm: boolean | null = null;
    let minute = 0;
    let second = 0;
    let milli = 0;
    let offsetMinutes = 0;
    fields.forEach((f, i) => {
      const value = match[i + 1]!;
      const n = Number(value);
      switch (f.letter) {
        case 'y':
          year = f.count === 2 ? 2000 + n : n;
          break;
        case 'M':
          month = f.count >= 3 ? monthIndex(value) : n - 1;
          if (month < 0) throw conversionError(`Cannot parse month '${value}' in '${text}'`);
          break;
        case 'd':
          day = n;
          break;
        case 'H':
        case 'k':
          hour = n % 24;
          break;
        case 'h':
        case 'K':
          hour = n % 12;
          break;
        case 'm':
          minute = n;
          break;
        case 's':
          second = n;
          break;
        case 'S':
          milli = Number(value.slice(0, 3).padEnd(3, '0')) * (f.count >= 3 || value.length >= 3 ? 1 : 1);
          break;
        case 'a':
          pm = value.toUpperCase() === 'PM';
          break;
        case 'Z':
        case 'X':
          if (value !== 'Z') {
            const digits = value.slice(1).replace(':', '');
            offsetMinutes =
              (value.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
          }
          break;
        default:
          break;
      }
    });
    if (pm === true) hour += 12;
    return Date.UTC(year, month, day, hour, minute, second, milli) - offsetMinutes * 60_000;
  };
}
