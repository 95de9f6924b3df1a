/**
 * The log parsers of reference §7.8. Each returns a ROW value (an array) whose fields are
 * COLUMN1..n VARCHAR(1024) unless a column list names and types them; a line that does not match
 * gives NULL. Patterns and column lists must be constants: they are compiled at bind time.
 */
import type { Span } from '../sql/ast.js';
import { apply, isConstant, type Bound } from '../plan/bound-expression.js';
import { validationError } from '../plan/sql-validation-error.js';
import {
  isNull,
  isString,
  rowType,
  sqlType,
  types,
  type RowField,
  type SqlType,
  type TypeName,
} from '../plan/sql-type.js';
import { compileParser } from './datetime-format.js';
import { compileFastRegex, FastRegexError, matchFastRegex, type FastRegex } from './fast-regex.js';
import { converter } from './values.js';

type Parser = (args: readonly Bound[], span: Span) => Bound;

function constantText(arg: Bound | undefined, what: string, span: Span): string {
  if (arg === undefined || !isConstant(arg))
    return validationError(`${what} must be a constant`, arg?.span ?? span);
  const value = arg.evaluate([], 0);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return validationError(`${what} must be a character string`, arg.span);
}

function line(args: readonly Bound[], name: string, min: number, max: number, span: Span): Bound {
  if (args.length < min || args.length > max)
    validationError(`Function ${name} takes ${min} to ${max} arguments, not ${args.length}`, span);
  const first = args[0]!;
  if (!isString(first.type) && !isNull(first.type))
    validationError(`Function ${name} needs a character string to parse`, first.span);
  return first;
}

const numbered = (count: number): RowField[] =>
  Array.from({ length: count }, (_, i) => ({ name: `COLUMN${i + 1}`, type: types.varchar1024 }));

const typeWords: Readonly<Record<string, TypeName>> = {
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BIGINT: 'BIGINT',
  DECIMAL: 'DECIMAL',
  REAL: 'REAL',
  DOUBLE: 'DOUBLE',
  FLOAT: 'DOUBLE',
  CHAR: 'CHAR',
  VARCHAR: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

interface ColumnSpec {
  readonly field: RowField;
  readonly notNull: boolean;
  readonly start: number | null;
  readonly length: number | null;
  readonly format: string | null;
}

/** `name TYPE type [NOT NULL] [START n [FOR len]]`, or `name type`, comma-separated. */
function parseColumns(text: string, span: Span, fixed: boolean): ColumnSpec[] {
  return text.split(',').map((part) => {
    const match =
      /^\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s+(?:TYPE\s+)?([A-Za-z]+)(?:\s*\(\s*(\d+)(?:\s*,\s*(\d+))?\s*\))?\s*('(?:[^']|'')*')?\s*(NOT\s+NULL)?\s*(?:START\s+(\d+)(?:\s+FOR\s+(\d+))?)?\s*$/i.exec(
        part,
      );
    if (match === null) return validationError(`Cannot read column description '${part.trim()}'`, span);
    const [, rawName, typeWord, length, scale, format, notNull, start, count] = match;
    const typeName = typeWords[typeWord!.toUpperCase()];
    if (typeName === undefined)
      return validationError(`Unknown type ${typeWord} in column description '${part.trim()}'`, span);
    if (fixed && start === undefined)
      return validationError(`Column description '${part.trim()}' needs START`, span);
    const name = rawName!.startsWith('"')
      ? rawName!.slice(1, -1).replace(/""/g, '"')
      : rawName!.toUpperCase();
    const type: SqlType = sqlType(
      typeName,
      length === undefined ? (typeName === 'VARCHAR' ? 1024 : null) : Number(length),
      scale === undefined ? null : Number(scale),
    );
    return {
      field: { name, type },
      notNull: notNull !== undefined,
      start: start === undefined ? null : Number(start),
      length: count === undefined ? null : Number(count),
      format: format === undefined ? null : format.slice(1, -1).replace(/''/g, "'"),
    };
  });
}

/** Converts the text fields of a parsed line into the declared column types. */
function typedFields(columns: readonly ColumnSpec[]): (texts: readonly (string | null)[]) => unknown[] {
  const convert = columns.map((c) => {
    if (
      c.format !== null &&
      (c.field.type.name === 'TIMESTAMP' || c.field.type.name === 'DATE' || c.field.type.name === 'TIME')
    ) {
      const parse = compileParser(c.format);
      return (text: string) => parse(text);
    }
    return converter(types.varchar, c.field.type) as (text: string) => unknown;
  });
  return (texts) => texts.map((t, i) => (t === null || t === undefined ? null : convert[i]!(t)));
}

/** Java regular expressions mostly read the same in JavaScript; possessive quantifiers do not. */
function javaRegex(pattern: string, span: Span): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 's');
  } catch (error) {
    return validationError(`Invalid regular expression '${pattern}': ${(error as Error).message}`, span);
  }
}

const regexLogParse: Parser = (args, span) => {
  const subject = line(args, 'REGEX_LOG_PARSE', 2, 3, span);
  const pattern = constantText(args[1], 'The REGEX_LOG_PARSE pattern', span);
  const regex = javaRegex(pattern, args[1]!.span);
  const groups = (new RegExp(`${pattern}|`).exec('')?.length ?? 1) - 1;
  const columns =
    args[2] === undefined
      ? null
      : parseColumns(constantText(args[2], 'The column list', span), args[2].span, false);
  const fields = columns === null ? numbered(groups) : columns.map((c) => c.field);
  const typed = columns === null ? null : typedFields(columns);
  return apply(
    'REGEX_LOG_PARSE',
    rowType(fields),
    [subject],
    (text) => {
      const match = regex.exec(text as string);
      if (match === null) return null;
      const values = fields.map((_, i) => match[i + 1] ?? null);
      return typed === null ? values : typed(values);
    },
    span,
  );
};

const variableColumnLogParse: Parser = (args, span) => {
  const subject = line(args, 'VARIABLE_COLUMN_LOG_PARSE', 3, 5, span);
  const columnsArg = args[1]!;
  const spec = columnsArg.evaluate([], 0);
  if (!isConstant(columnsArg))
    return validationError('The column count or list must be a constant', columnsArg.span);
  const columns =
    typeof spec === 'number'
      ? null
      : parseColumns(constantText(columnsArg, 'The column list', span), columnsArg.span, false);
  const fields = columns === null ? numbered(spec as number) : columns.map((c) => c.field);
  const delimiter = constantText(args[2], 'The delimiter', span);
  const escape = args[3] === undefined ? '' : constantText(args[3], 'The escape string', span);
  const quotes = args[4] === undefined ? '' : constantText(args[4], 'The quote string', span);
  const open = quotes[0] ?? null;
  const close = quotes[1] ?? open;
  const typed = columns === null ? null : typedFields(columns);
  return apply(
    'VARIABLE_COLUMN_LOG_PARSE',
    rowType(fields),
    [subject],
    (text) => {
      const s = text as string;
      const values: string[] = [];
      let current = '';
      let quoted = false;
      for (let i = 0; i < s.length; i++) {
        const c = s[i]!;
        if (escape !== '' && s.startsWith(escape, i)) {
          current += s[i + escape.length] ?? '';
          i += escape.length;
        } else if (open !== null && !quoted && c === open && current === '') quoted = true;
        else if (quoted && c === close) quoted = false;
        else if (!quoted && s.startsWith(delimiter, i)) {
          values.push(current);
          current = '';
          i += delimiter.length - 1;
        } else current += c;
      }
      values.push(current);
      const row = fields.map((_, i) => values[i] ?? null);
      return typed === null ? row : typed(row);
    },
    span,
  );
};

const fixedColumnLogParse: Parser = (args, span) => {
  const subject = line(args, 'FIXED_COLUMN_LOG_PARSE', 2, 2, span);
  const columns = parseColumns(constantText(args[1], 'The column list', span), args[1]!.span, true);
  const typed = typedFields(columns);
  return apply(
    'FIXED_COLUMN_LOG_PARSE',
    rowType(columns.map((c) => c.field)),
    [subject],
    (text) => {
      const s = text as string;
      return typed(
        columns.map((c) => {
          const start = c.start ?? 0;
          return start >= s.length
            ? null
            : c.length === null
              ? s.slice(start)
              : s.slice(start, start + c.length);
        }),
      );
    },
    span,
  );
};

const sysLogParse: Parser = (args, span) => {
  const subject = line(args, 'SYS_LOG_PARSE', 1, 1, span);
  const parse = compileParser('MMM d HH:mm:ss');
  const fields: RowField[] = [
    { name: 'COLUMN1', type: types.timestamp },
    { name: 'COLUMN2', type: types.varchar1024 },
  ];
  return apply(
    'SYS_LOG_PARSE',
    rowType(fields),
    [subject],
    (text) => {
      const match = /^([A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2})\s+(.*)$/s.exec(text as string);
      if (match === null) return null;
      return [parse(match[1]!), match[2]!];
    },
    span,
  );
};

const w3cFormats: Readonly<Record<string, string>> = {
  COMMON: '%h %l %u %t "%r" %>s %b',
  'COMMON WITH VHOST': '%v %h %l %u %t "%r" %>s %b',
  'NCSA EXTENDED': '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  REFERER: '%{Referer}i -> %U',
  AGENT: '%{User-agent}i',
};

const w3cLogParse: Parser = (args, span) => {
  const subject = line(args, 'W3C_LOG_PARSE', 2, 2, span);
  const formatName = constantText(args[1], 'The W3C_LOG_PARSE format', span);
  if (formatName.toUpperCase() === 'IIS')
    return validationError("W3C_LOG_PARSE format 'IIS' is not supported", args[1]!.span);
  const format = (w3cFormats[formatName.toUpperCase()] ?? formatName)
    .replace(/%\[/g, '%{')
    .replace(/\]([a-zA-Z])/g, '}$1');
  let regex = '';
  let count = 0;
  const specifier = /%[<>]?(?:\{[^}]*\})?[a-zA-Z%]/g;
  let last = 0;
  for (const match of format.matchAll(specifier)) {
    const literal = format.slice(last, match.index);
    regex += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, ' +');
    if (match[0] === '%%') regex += '%';
    else {
      const quoted = literal.endsWith('"');
      regex += match[0].endsWith('t') && !quoted ? '(\\[[^\\]]*\\])' : quoted ? '([^"]*)' : '(\\S*)';
      count++;
    }
    last = match.index + match[0].length;
  }
  regex += format.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const compiled = new RegExp(`^${regex}$`);
  const fields = numbered(count);
  return apply(
    'W3C_LOG_PARSE',
    rowType(fields),
    [subject],
    (text) => {
      const match = compiled.exec(text as string);
      if (match === null) return null;
      return fields.map((_, i) => match[i + 1] ?? null);
    },
    span,
  );
};

const fastRegexLogParse: Parser = (args, span) => {
  const subject = line(args, 'FAST_REGEX_LOG_PARSE', 2, 2, span);
  const pattern = constantText(args[1], 'The FAST_REGEX_LOG_PARSE pattern', span);
  let compiled: FastRegex;
  try {
    compiled = compileFastRegex(pattern);
  } catch (error) {
    if (error instanceof FastRegexError) return validationError(error.message, args[1]!.span);
    throw error;
  }
  const fields = numbered(compiled.groups);
  return apply(
    'FAST_REGEX_LOG_PARSE',
    rowType(fields),
    [subject],
    (text) => matchFastRegex(compiled, text as string),
    span,
  );
};

export const logParsers: Readonly<Record<string, Parser>> = {
  REGEX_LOG_PARSE: regexLogParse,
  VARIABLE_COLUMN_LOG_PARSE: variableColumnLogParse,
  FIXED_COLUMN_LOG_PARSE: fixedColumnLogParse,
  SYS_LOG_PARSE: sysLogParse,
  W3C_LOG_PARSE: w3cLogParse,
  FAST_REGEX_LOG_PARSE: fastRegexLogParse,
  FAST_REGEX_LOG_PARSER: fastRegexLogParse,
};
