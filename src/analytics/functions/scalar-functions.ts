/**
 * Scalar functions of reference §7.4–§7.7 (and the special forms the binder lowers to calls:
 * SUBSTRING, TRIM_*, POSITION, OVERLAY, LIKE, SIMILAR). Each entry checks its arguments at bind
 * time and returns a bound expression whose evaluator runs per row; constant patterns (date
 * formats, regular expressions) are compiled once.
 */
import type { Span } from '../sql/ast.js';
import { apply, isConstant, type Bound } from '../plan/bound-expression.js';
import type { BindEnvironment } from '../plan/bind-context.js';
import { validationError } from '../plan/sql-validation-error.js';
import {
  commonType,
  describeType,
  isBinary,
  isDatetime,
  isInteger,
  isNull,
  isNumeric,
  isString,
  sqlType,
  types,
  type SqlType,
} from '../plan/sql-type.js';
import { compileFormatter, compileParser } from './datetime-format.js';
import { logParsers } from './log-parsers.js';
import { SqlRuntimeError } from './sql-runtime-error.js';
import { compareValues } from './values.js';

type Definition = (args: readonly Bound[], span: Span, environment: BindEnvironment, name: string) => Bound;

function arity(name: string, args: readonly Bound[], min: number, max: number, span: Span): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    validationError(
      `Function ${name} takes ${expected} argument${max === 1 ? '' : 's'}, not ${args.length}`,
      span,
    );
  }
}

function expect(name: string, arg: Bound, test: (t: SqlType) => boolean, what: string): void {
  if (!isNull(arg.type) && !test(arg.type)) {
    validationError(`Function ${name} needs ${what}, not ${describeType(arg.type)}`, arg.span);
  }
}

const numeric =
  (name: string, fn: (x: number) => number, keepType = false): Definition =>
  (args, span) => {
    arity(name, args, 1, 1, span);
    expect(name, args[0]!, isNumeric, 'a number');
    return apply(name, keepType ? args[0]!.type : types.double, args, (x) => fn(x as number), span);
  };

function cached<T>(build: (pattern: string) => T): (pattern: string) => T {
  const cache = new Map<string, T>();
  return (pattern) => {
    let value = cache.get(pattern);
    if (value === undefined) {
      if (cache.size > 64) cache.clear();
      value = build(pattern);
      cache.set(pattern, value);
    }
    return value;
  };
}

/** Checks a constant pattern at bind time so that a typo is a validation error, not a row error. */
function checkPattern(arg: Bound, compile: (pattern: string) => unknown): void {
  if (!isConstant(arg)) return;
  const pattern = arg.evaluate([], 0);
  if (typeof pattern !== 'string') return;
  try {
    compile(pattern);
  } catch (error) {
    validationError(`Invalid pattern '${pattern}': ${(error as Error).message}`, arg.span);
  }
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function likeRegex(pattern: string, escape: string | null, similar: boolean): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== null && c === escape) {
      out += escapeRegex(pattern[++i] ?? '');
    } else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else if (similar && '|*+?()[]{}'.includes(c)) out += c;
    else out += escapeRegex(c);
  }
  return new RegExp(`^(?:${out})$`);
}

function timeFormatting(name: string, input: 'string' | 'datetime', result: SqlType): Definition {
  return (args, span) => {
    arity(name, args, 2, 2, span);
    expect(name, args[0]!, isString, 'a format string first');
    if (input === 'string') {
      expect(name, args[1]!, isString, 'a character string');
      checkPattern(args[0]!, compileParser);
      const parser = cached(compileParser);
      const dayMs = 86_400_000;
      return apply(
        name,
        result,
        args,
        (format, text) => {
          const ms = parser(format as string)(text as string);
          if (result.name === 'DATE') return ms - (((ms % dayMs) + dayMs) % dayMs);
          if (result.name === 'TIME') return ((ms % dayMs) + dayMs) % dayMs;
          return ms;
        },
        span,
      );
    }
    expect(name, args[1]!, isDatetime, 'a datetime');
    const formatter = cached(compileFormatter);
    return apply(name, types.varchar, args, (format, ms) => formatter(format as string)(ms as number), span);
  };
}

function current(name: string, kind: 'TIMESTAMP' | 'DATE' | 'TIME'): Definition {
  return (args, span, environment) => {
    arity(name, args, 0, 0, span);
    const dayMs = 86_400_000;
    const now = environment.now;
    const fn =
      kind === 'TIMESTAMP'
        ? () => now()
        : kind === 'DATE'
          ? () => Math.floor(now() / dayMs) * dayMs
          : () => now() % dayMs;
    return apply(name, sqlType(kind), [], fn, span, { volatile: true });
  };
}

const definitions: Readonly<Record<string, Definition>> = {
  ABS: numeric('ABS', Math.abs, true),
  CEIL: (args, span, _e, name) => numeric(name, Math.ceil, true)(args, span, _e, name),
  CEILING: (args, span, _e, name) => numeric(name, Math.ceil, true)(args, span, _e, name),
  FLOOR: (args, span, _e, name) => numeric(name, Math.floor, true)(args, span, _e, name),
  EXP: numeric('EXP', Math.exp),
  LN: numeric('LN', (x) => {
    if (x <= 0) throw new SqlRuntimeError('InvalidArgument', `LN of ${x}`);
    return Math.log(x);
  }),
  LOG10: numeric('LOG10', (x) => {
    if (x <= 0) throw new SqlRuntimeError('InvalidArgument', `LOG10 of ${x}`);
    return Math.log10(x);
  }),
  MOD: (args, span) => {
    arity('MOD', args, 2, 2, span);
    for (const a of args) expect('MOD', a, isInteger, 'exact integer arguments');
    return apply(
      'MOD',
      args[1]!.type,
      args,
      (a, b) => {
        if (b === 0) throw new SqlRuntimeError('DivisionByZero', 'MOD by zero');
        return (a as number) % (b as number);
      },
      span,
    );
  },
  POWER: (args, span) => {
    arity('POWER', args, 2, 2, span);
    for (const a of args) expect('POWER', a, isNumeric, 'numbers');
    return apply('POWER', types.double, args, (a, b) => (a as number) ** (b as number), span);
  },
  CHAR_LENGTH: (args, span, _e, name) => {
    arity(name, args, 1, 1, span);
    expect(name, args[0]!, isString, 'a character string');
    return apply('CHAR_LENGTH', types.integer, args, (s) => (s as string).length, span);
  },
  CHARACTER_LENGTH: (args, span, e) => definitions.CHAR_LENGTH!(args, span, e, 'CHARACTER_LENGTH'),
  LOWER: stringMap('LOWER', (s) => s.toLowerCase()),
  UPPER: stringMap('UPPER', (s) => s.toUpperCase()),
  INITCAP: stringMap('INITCAP', (s) =>
    s.toLowerCase().replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  ),
  SUBSTRING: (args, span) => {
    arity('SUBSTRING', args, 2, 3, span);
    expect('SUBSTRING', args[0]!, (t) => isString(t) || isBinary(t), 'a character or binary string');
    for (const a of args.slice(1)) expect('SUBSTRING', a, isInteger, 'integer positions');
    const binary = isBinary(args[0]!.type);
    return apply(
      'SUBSTRING',
      binary ? types.binary : sqlType('VARCHAR', args[0]!.type.length),
      args,
      (s, start, length) => {
        const text = s as string | Uint8Array;
        const from = (start as number) - 1;
        if (length !== undefined && (length as number) < 0)
          throw new SqlRuntimeError('InvalidArgument', `SUBSTRING length ${String(length)}`);
        const end = length === undefined ? text.length : from + (length as number);
        return text.slice(Math.max(0, from), Math.max(0, end));
      },
      span,
    );
  },
  TRIM_BOTH: trim('BOTH'),
  TRIM_LEADING: trim('LEADING'),
  TRIM_TRAILING: trim('TRAILING'),
  POSITION: (args, span) => {
    arity('POSITION', args, 2, 2, span);
    for (const a of args) expect('POSITION', a, isString, 'character strings');
    return apply(
      'POSITION',
      types.integer,
      args,
      (needle, haystack) => (haystack as string).indexOf(needle as string) + 1,
      span,
    );
  },
  OVERLAY: (args, span) => {
    arity('OVERLAY', args, 3, 4, span);
    expect('OVERLAY', args[0]!, isString, 'a character string');
    expect('OVERLAY', args[1]!, isString, 'a character string');
    return apply(
      'OVERLAY',
      types.varchar,
      args,
      (s, r, start, length) => {
        const text = s as string;
        const placing = r as string;
        const from = (start as number) - 1;
        const count = length === undefined ? placing.length : (length as number);
        return text.slice(0, from) + placing + text.slice(from + count);
      },
      span,
    );
  },
  LIKE: like(false),
  SIMILAR: like(true),
  REGEX_REPLACE: (args, span) => {
    arity('REGEX_REPLACE', args, 5, 5, span);
    for (const a of args.slice(0, 3)) expect('REGEX_REPLACE', a, isString, 'character strings');
    for (const a of args.slice(3)) expect('REGEX_REPLACE', a, isInteger, 'integer position and occurrence');
    checkPattern(args[1]!, (p) => new RegExp(p));
    const compile = cached((p: string) => new RegExp(p, 'g'));
    return apply(
      'REGEX_REPLACE',
      types.varchar,
      args,
      (o, re, rep, start, occurrence) => {
        const text = o as string;
        const from = start as number;
        const nth = occurrence as number;
        if (from < 1)
          throw new SqlRuntimeError('InvalidArgument', `REGEX_REPLACE start position ${from} is less than 1`);
        if (nth < 0)
          throw new SqlRuntimeError('InvalidArgument', `REGEX_REPLACE occurrence ${nth} is negative`);
        if (from > text.length) return text;
        const regex = compile(re as string);
        regex.lastIndex = 0;
        const replacement = (rep as string).replace(/\\\$/g, '$$$$');
        const head = text.slice(0, from - 1);
        const tail = text.slice(from - 1);
        if (nth === 0) return head + tail.replace(regex, replacement);
        let seen = 0;
        return (
          head +
          tail.replace(regex, (...m: unknown[]) => {
            seen++;
            if (seen !== nth) return m[0] as string;
            return (m[0] as string).replace(new RegExp(regex.source), replacement);
          })
        );
      },
      span,
    );
  },
  COALESCE: (args, span) => {
    arity('COALESCE', args, 1, Infinity, span);
    let type: SqlType = types.null;
    for (const a of args) {
      const next = commonType(type, a.type);
      if (next === null)
        return validationError(
          `COALESCE arguments have incompatible types ${describeType(type)} and ${describeType(a.type)}`,
          a.span,
        );
      type = next;
    }
    return apply('COALESCE', type, args, (...values) => values.find((v) => v !== null) ?? null, span, {
      strict: false,
    });
  },
  NULLIF: (args, span) => {
    arity('NULLIF', args, 2, 2, span);
    if (commonType(args[0]!.type, args[1]!.type) === null)
      return validationError('NULLIF arguments must be comparable', span);
    return apply(
      'NULLIF',
      args[0]!.type,
      args,
      (a, b) => (a === null ? null : b !== null && compareValues(a, b) === 0 ? null : a),
      span,
      { strict: false },
    );
  },
  CURRENT_TIMESTAMP: current('CURRENT_TIMESTAMP', 'TIMESTAMP'),
  LOCALTIMESTAMP: current('LOCALTIMESTAMP', 'TIMESTAMP'),
  CURRENT_ROW_TIMESTAMP: current('CURRENT_ROW_TIMESTAMP', 'TIMESTAMP'),
  CURRENT_DATE: current('CURRENT_DATE', 'DATE'),
  CURRENT_TIME: current('CURRENT_TIME', 'TIME'),
  LOCALTIME: current('LOCALTIME', 'TIME'),
  TSDIFF: (args, span) => {
    arity('TSDIFF', args, 2, 2, span);
    for (const a of args)
      expect(
        'TSDIFF',
        a,
        (t) => t.name === 'TIMESTAMP' || isInteger(t),
        'TIMESTAMP or BIGINT (epoch ms) arguments',
      );
    return apply('TSDIFF', types.bigint, args, (start, end) => (end as number) - (start as number), span);
  },
  UNIX_TIMESTAMP: (args, span) => {
    arity('UNIX_TIMESTAMP', args, 1, 1, span);
    expect('UNIX_TIMESTAMP', args[0]!, isDatetime, 'a TIMESTAMP');
    return { ...apply('UNIX_TIMESTAMP', types.bigint, args, (t) => t, span), monotonic: args[0]!.monotonic };
  },
  TO_TIMESTAMP: (args, span) => {
    arity('TO_TIMESTAMP', args, 1, 1, span);
    expect('TO_TIMESTAMP', args[0]!, isNumeric, 'a number of milliseconds');
    return {
      ...apply('TO_TIMESTAMP', types.timestamp, args, (n) => Math.trunc(n as number), span),
      monotonic: args[0]!.monotonic,
    };
  },
  CHAR_TO_TIMESTAMP: timeFormatting('CHAR_TO_TIMESTAMP', 'string', types.timestamp),
  CHAR_TO_DATE: timeFormatting('CHAR_TO_DATE', 'string', types.date),
  CHAR_TO_TIME: timeFormatting('CHAR_TO_TIME', 'string', types.time),
  TIMESTAMP_TO_CHAR: timeFormatting('TIMESTAMP_TO_CHAR', 'datetime', types.varchar),
  DATE_TO_CHAR: timeFormatting('DATE_TO_CHAR', 'datetime', types.varchar),
  TIME_TO_CHAR: timeFormatting('TIME_TO_CHAR', 'datetime', types.varchar),
  MONOTONIC: (args, span) => {
    arity('MONOTONIC', args, 1, 1, span);
    return { ...args[0]!, key: `MONOTONIC(${args[0]!.key})`, monotonic: true, span };
  },
};

function stringMap(name: string, fn: (s: string) => string): Definition {
  return (args, span) => {
    arity(name, args, 1, 1, span);
    expect(name, args[0]!, isString, 'a character string');
    return apply(name, args[0]!.type, args, (s) => fn(s as string), span);
  };
}

function trim(side: 'BOTH' | 'LEADING' | 'TRAILING'): Definition {
  return (args, span) => {
    arity('TRIM', args, 1, 2, span);
    for (const a of args) expect('TRIM', a, isString, 'character strings');
    return apply(
      `TRIM_${side}`,
      args[0]!.type,
      args,
      (s, chars) => {
        const set = chars === undefined ? ' ' : (chars as string);
        let text = s as string;
        if (side !== 'TRAILING') while (text.length > 0 && set.includes(text[0]!)) text = text.slice(1);
        if (side !== 'LEADING')
          while (text.length > 0 && set.includes(text[text.length - 1]!)) text = text.slice(0, -1);
        return text;
      },
      span,
    );
  };
}

function like(similar: boolean): Definition {
  const name = similar ? 'SIMILAR TO' : 'LIKE';
  return (args, span) => {
    for (const a of args) expect(name, a, isString, 'character strings');
    const compile = cached((key: string) => {
      const [pattern, escape] = JSON.parse(key) as [string, string | null];
      return likeRegex(pattern, escape, similar);
    });
    return apply(
      name,
      types.boolean,
      args,
      (s, p, e) => compile(JSON.stringify([p, e ?? null])).test(s as string),
      span,
    );
  };
}

export function bindScalarCall(
  name: string,
  args: readonly Bound[],
  span: Span,
  environment: BindEnvironment,
): Bound {
  const definition = definitions[name];
  if (definition !== undefined) return definition(args, span, environment, name);
  const parser = logParsers[name];
  if (parser !== undefined) return parser(args, span);
  if (name === 'RANDOM_CUT_FOREST' || name === 'RANDOM_CUT_FOREST_WITH_EXPLANATION' || name === 'HOTSPOTS') {
    return validationError(
      `${name} is a table function: use it as FROM TABLE(${name}(CURSOR(SELECT STREAM ...), ...))`,
      span,
    );
  }
  return validationError(
    `No match found for function signature ${name}(${args.map((a) => describeType(a.type)).join(', ')})`,
    span,
  );
}
