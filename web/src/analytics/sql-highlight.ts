/**
 * A small tokenizer for the SQL editor's highlighting: keywords, functions, strings, quoted
 * identifiers, numbers, comments and punctuation of the Kinesis Analytics SQL dialect. It never
 * fails: whatever it does not recognise is plain text, so any input highlights.
 */

export type TokenKind = 'keyword' | 'function' | 'string' | 'identifier' | 'number' | 'comment' | 'text';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const keywords = new Set(
  (
    'ALL AND AS ASC BETWEEN BY CASE CAST CREATE CROSS CURRENT_ROW DESC DISTINCT ELSE END EXISTS ' +
    'FALSE FOLLOWING FROM FULL GROUP HAVING IN INNER INSERT INTERVAL INTO IS JOIN LEFT LIKE NOT ' +
    'NULL ON OR ORDER OVER PARTITION PRECEDING PUMP RANGE REPLACE RIGHT ROWS SECOND MINUTE HOUR ' +
    'DAY SELECT STREAM THEN TRUE UNION UNBOUNDED WHEN WHERE WINDOW WITH ROWTIME VARCHAR CHAR ' +
    'INTEGER INT BIGINT SMALLINT TINYINT DOUBLE REAL DECIMAL NUMERIC BOOLEAN TIMESTAMP DATE TIME ' +
    'VARBINARY BINARY FLOAT'
  ).split(' '),
);

const functions = new Set(
  (
    'AVG COUNT MAX MIN SUM STEP FLOOR CEIL ABS ROUND LOWER UPPER SUBSTRING TRIM CHAR_LENGTH ' +
    'CURRENT_TIMESTAMP LOCALTIMESTAMP TSDIFF TO_TIMESTAMP UNIX_TIMESTAMP COALESCE NULLIF ' +
    'FIRST_VALUE LAST_VALUE TOP_K_ITEMS_TUMBLING COUNT_DISTINCT_ITEMS_TUMBLING RANDOM_CUT_FOREST ' +
    'RANDOM_CUT_FOREST_WITH_EXPLANATION HOTSPOTS MONOTONIC STDDEV_POP STDDEV_SAMP VAR_POP VAR_SAMP ' +
    'EXP LN POWER MOD POSITION INITCAP'
  ).split(' '),
);

const pattern =
  /(--[^\n]*)|(\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_$]*)|(\s+|[^\sA-Za-z0-9_'"-]+|-)/g;

export function tokenizeSql(code: string): Token[] {
  const tokens: Token[] = [];
  for (const match of code.matchAll(pattern)) {
    const [text, lineComment, blockComment, string, quoted, number, word] = match;
    if (lineComment !== undefined || blockComment !== undefined) tokens.push({ kind: 'comment', text });
    else if (string !== undefined) tokens.push({ kind: 'string', text });
    else if (quoted !== undefined) tokens.push({ kind: 'identifier', text });
    else if (number !== undefined) tokens.push({ kind: 'number', text });
    else if (word !== undefined) {
      const upper = word.toUpperCase();
      tokens.push({
        kind: keywords.has(upper) ? 'keyword' : functions.has(upper) ? 'function' : 'text',
        text,
      });
    } else tokens.push({ kind: 'text', text });
  }
  return tokens;
}

/** A position the server named in a CodeValidationException ("line L, column C: …"), 1-based. */
export interface CodePosition {
  readonly line: number;
  readonly column: number;
}

export function positionInMessage(message: string): CodePosition | undefined {
  const match = /line (\d+), column (\d+)/.exec(message);
  if (match === null) return undefined;
  return { line: Number(match[1]), column: Number(match[2]) };
}

/** The character offset of a 1-based line and column, clamped to the code. */
export function offsetOf(code: string, position: CodePosition): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const next = code.indexOf('\n', offset);
    if (next < 0) return code.length;
    offset = next + 1;
  }
  const lineEnd = code.indexOf('\n', offset);
  const end = lineEnd < 0 ? code.length : lineEnd;
  return Math.min(offset + Math.max(0, position.column - 1), end);
}

/** In-application streams the code creates (`CREATE [OR REPLACE] STREAM "NAME"`), in order. */
export function createdStreams(code: string): string[] {
  const names: string[] = [];
  for (const match of code.matchAll(
    /CREATE\s+(?:OR\s+REPLACE\s+)?STREAM\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/gi,
  )) {
    const raw = match[1] ?? '';
    const name = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toUpperCase();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
