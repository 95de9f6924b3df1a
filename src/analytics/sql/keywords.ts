/**
 * Keyword tables. The lexer does not classify words: a word is a keyword only where the grammar
 * expects one, so most of the dialect's keywords stay usable as names. The words below are
 * *reserved*: they can never be an unquoted identifier (a column, alias or stream name), and the
 * printer quotes names that spell them.
 */

/** Reserved words: standard SQL words that start or split clauses, plus the dialect's own. */
// prettier-ignore
export const reservedWords: ReadonlySet<string> = new Set([
  'ALL', 'AND', 'AS', 'ASC', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CREATE', 'CROSS', 'CURRENT',
  'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'CURSOR', 'DATE', 'DAY', 'DESC',
  'DISTINCT', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'FALSE', 'FOR', 'FROM', 'FULL',
  'GROUP', 'HAVING', 'HOUR', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTERVAL', 'INTO', 'IS',
  'JOIN', 'LEFT', 'LIKE', 'LOCALTIME', 'LOCALTIMESTAMP', 'MINUTE', 'MONTH', 'NATURAL', 'NOT',
  'NULL', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'RANGE', 'RIGHT', 'ROW', 'ROWS',
  'SECOND', 'SELECT', 'SIMILAR', 'STREAM', 'TABLE', 'THEN', 'TIME', 'TIMESTAMP', 'TO', 'TRUE',
  'UNION', 'UNKNOWN', 'USER', 'USING', 'VALUE', 'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WINDOWED',
  'WITH', 'WITHIN', 'YEAR',
]);

/**
 * Non-reserved words that the grammar reads as keywords in a position where a name could also
 * stand (`RANGE UNBOUNDED PRECEDING`, `TRIM(LEADING ...)`, the special-syntax functions). The
 * printer quotes names that spell them so that a printed name never turns into a keyword.
 */
// prettier-ignore
export const contextualWords: ReadonlySet<string> = new Set([
  'UNBOUNDED', 'PRECEDING', 'FOLLOWING', 'LEADING', 'TRAILING', 'BOTH', 'EXTRACT', 'POSITION',
  'OVERLAY', 'TRIM', 'IGNORE', 'RESPECT', 'NULLS', 'UESCAPE',
]);

/** Datetime functions written without parentheses; they parse as calls, not column names. */
// prettier-ignore
export const niladicFunctions: ReadonlySet<string> = new Set([
  'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP',
  'CURRENT_ROW_TIMESTAMP', 'USER',
]);

export const timeUnits = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
export type TimeUnit = (typeof timeUnits)[number];

export function isTimeUnit(word: string): word is TimeUnit {
  return (timeUnits as readonly string[]).includes(word);
}

export function isReserved(word: string): boolean {
  return reservedWords.has(word);
}

/** Statement keywords of SQLstream that KDA does not accept; named in the error message. */
// prettier-ignore
export const unsupportedStatementWords: ReadonlySet<string> = new Set([
  'DROP', 'ALTER', 'DELETE', 'UPDATE', 'MERGE', 'GRANT', 'REVOKE', 'SET', 'DECLARE',
]);
