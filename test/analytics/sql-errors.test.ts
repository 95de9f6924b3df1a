/** Parse errors: each names the line and column, and what was expected against what was found. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScript } from '../../src/analytics/sql/parser.js';
import { SqlSyntaxError } from '../../src/analytics/sql/sql-syntax-error.js';

function parseError(source: string): SqlSyntaxError {
  try {
    parseScript(source);
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError, String(error));
    return error;
  }
  return assert.fail(`no error for ${source}`);
}

const cases: [string, string][] = [
  ['SELECT STREAM a,\n  b\nFROM s WHERE (a = 1', "line 3, column 20: expected ')' but found end of input"],
  ['SELECT STREAM a\nFROM s WHERE (a = 1 FROM t', "line 2, column 21: expected ')' but found FROM"],
  [
    'SELECT STREAM a FROM s\nWHERE FLOOR(a TO WEEK) > 1',
    'line 2, column 18: expected a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but found WEEK',
  ],
  [
    'CREATE OR REPLACE PUMP p AS SELECT STREAM * FROM s',
    'line 1, column 29: expected INSERT (a pump is CREATE PUMP name AS INSERT INTO stream SELECT ...) but found SELECT',
  ],
  ['CREATE STREAM s (a VARCHAR(4), b)', "line 1, column 33: expected a data type but found ')'"],
  ['CREATE STREAM s (a VARCHAR(4) b INT)', "line 1, column 31: expected ')' but found B"],
  ['CREATE STREAM s (a STRING)', 'line 1, column 20: expected a data type but found STRING'],
  [
    'CREATE STREAM s (timestamp TIMESTAMP)',
    'line 1, column 18: expected a column name but found reserved word TIMESTAMP (quote it to use it as a name)',
  ],
  ['CREATE STREAM s (a VARCHAR(n))', 'line 1, column 28: expected a length or precision but found N'],
  ['CREATE STREAM s (a INT NOT 1)', 'line 1, column 28: expected NULL but found number 1'],
  [
    'CREATE TABLE t (a INT)',
    'line 1, column 8: CREATE TABLE is not supported: application code creates streams, pumps, views and functions',
  ],
  [
    'CREATE FOREIGN STREAM s (a INT)',
    'line 1, column 8: CREATE FOREIGN is not supported: application code creates streams, pumps, views and functions',
  ],
  [
    'CREATE INDEX i',
    'line 1, column 8: expected STREAM, PUMP, VIEW or FUNCTION after CREATE but found INDEX',
  ],
  [
    'DROP STREAM s',
    'line 1, column 1: DROP statements are not supported: application code holds CREATE STREAM, PUMP, VIEW and FUNCTION, INSERT and SELECT statements',
  ],
  [
    'CREATE OR REPLACE RENAME STREAM s (a INT)',
    'line 1, column 19: RENAME is documented for CREATE OR REPLACE without a grammar, and is not supported',
  ],
  [
    "CREATE STREAM s (a INT) OPTIONS (x 'y')",
    'line 1, column 25: OPTIONS belong to SQLstream foreign streams; an in-application stream takes none',
  ],
  [
    'CREATE FUNCTION f() RETURNS INT LANGUAGE JAVA RETURN 1',
    'line 1, column 42: expected SQL (functions are written in SQL) but found JAVA',
  ],
  [
    'CREATE FUNCTION f() RETURNS INT\n  CONTAINS SQL DETERMINISTIC READS SQL DATA RETURN 1',
    'line 2, column 30: the SQL data access (CONTAINS SQL, READS SQL DATA, MODIFIES SQL DATA or NO SQL) is given twice',
  ],
  ['CREATE FUNCTION f(x) RETURNS INT RETURN x', "line 1, column 20: expected a data type but found ')'"],
  [
    'CREATE FUNCTION f() RETURNS INT CONTAINS SQL',
    'line 1, column 45: expected RETURN but found end of input',
  ],
  ['SELECT STREAM a FROM s\nSELECT STREAM b FROM t', "line 2, column 1: expected ';' but found SELECT"],
  ['SELECT STREAM a FROM s JOIN t', 'line 1, column 30: expected ON or USING but found end of input'],
  [
    'SELECT STREAM a FROM s NATURAL t',
    'line 1, column 32: expected JOIN, INNER, LEFT, RIGHT or FULL after NATURAL but found T',
  ],
  [
    "SELECT STREAM a FROM s WINDOWED BY STAGGER (RANGE INTERVAL '1' MINUTE)",
    'line 1, column 45: expected PARTITION but found RANGE',
  ],
  [
    "SELECT STREAM SUM(a) OVER (PARTITION BY b RANG INTERVAL '1' MINUTE PRECEDING) FROM s",
    "line 1, column 43: expected ORDER BY, RANGE, ROWS or ')' but found RANG",
  ],
  [
    'SELECT STREAM SUM(a) OVER (ROWS 10) FROM s',
    "line 1, column 35: expected PRECEDING or FOLLOWING but found ')'",
  ],
  [
    'SELECT STREAM SUM(a) OVER 5 FROM s',
    "line 1, column 27: expected a window name or '(' but found number 5",
  ],
  [
    'SELECT STREAM INTERVAL 1 MINUTE FROM s',
    "line 1, column 24: expected a string after INTERVAL (as in INTERVAL '1' MINUTE) but found number 1",
  ],
  [
    "SELECT STREAM INTERVAL '1' WEEK FROM s",
    'line 1, column 28: expected a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but found WEEK',
  ],
  [
    'SELECT STREAM TIMESTAMP FROM s',
    'line 1, column 25: expected a string after TIMESTAMP (a TIMESTAMP literal; quote "TIMESTAMP" to name a column) but found FROM',
  ],
  ['SELECT STREAM CAST(a AS) FROM s', "line 1, column 24: expected a data type but found ')'"],
  ['SELECT STREAM CAST(a, INT) FROM s', "line 1, column 21: expected AS but found ','"],
  ['SELECT STREAM CASE END FROM s', 'line 1, column 20: expected an expression but found END'],
  ['SELECT STREAM CASE WHEN a THEN 1 FROM s', 'line 1, column 34: expected END but found FROM'],
  ['SELECT STREAM a FROM', 'line 1, column 21: expected a stream or table name but found end of input'],
  ['SELECT STREAM FROM s', 'line 1, column 15: expected an expression but found FROM'],
  [
    'SELECT STREAM a AS from FROM s',
    'line 1, column 20: expected an alias but found reserved word FROM (quote it to use it as a name)',
  ],
  [
    'SELECT STREAM a IS 5 FROM s',
    'line 1, column 20: expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS but found number 5',
  ],
  ['SELECT STREAM STEP(ROWTIME BY) FROM s', "line 1, column 30: expected an expression but found ')'"],
  [
    'SELECT STREAM EXTRACT(ROWTIME) FROM s',
    'line 1, column 23: expected a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but found ROWTIME',
  ],
  ["SELECT STREAM POSITION('a', s) FROM s", "line 1, column 27: expected IN but found ','"],
  ["SELECT STREAM U&'\\00G1' FROM s", "line 1, column 15: bad escape in Unicode string literal at '\\00G1'"],
  [
    "SELECT STREAM U&'x' UESCAPE 'ab' FROM s",
    "line 1, column 29: expected a one-character string after UESCAPE but found string 'ab'",
  ],
  [
    'SELECT STREAM * FROM TABLE(s)',
    'line 1, column 28: TABLE(...) must hold a table function call, as in TABLE(f(CURSOR(SELECT STREAM ...)))',
  ],
  [
    'SELECT STREAM * FROM TABLE(f(CURSOR(SELECT STREAM * FROM s))',
    "line 1, column 61: expected ')' but found end of input",
  ],
  ['INSERT INTO s', "line 1, column 14: expected SELECT, VALUES or '(' but found end of input"],
  ['INSERT s SELECT 1', 'line 1, column 8: expected INTO but found S'],
  ['VALUES (1) ORDER BY 1', 'line 1, column 12: ORDER BY cannot follow VALUES'],
  ['(SELECT a FROM t ORDER BY a) ORDER BY b', 'line 1, column 30: a query cannot have two ORDER BY clauses'],
  ['SELECT a FROM t ORDER BY a ORDER BY b', "line 1, column 28: expected ';' but found ORDER"],
  ["SELECT STREAM 'abc FROM s", 'line 1, column 15: unterminated string literal'],
  ['SELECT STREAM a /* never\n closed', 'line 1, column 17: unterminated comment'],
];

describe('SQL parse errors', () => {
  for (const [source, message] of cases) {
    it(message, () => assert.equal(parseError(source).message, message));
  }

  it('carries the position as fields too', () => {
    const error = parseError('SELECT STREAM a\n  FROM s WHERE');
    assert.deepEqual(
      [error.line, error.column, error.offset, error.reason],
      [2, 15, 30, 'expected an expression but found end of input'],
    );
  });

  describe('bounds', () => {
    const tooDeep = 'the statement is nested too deeply (more than 200 levels)';
    it('rejects deep parentheses, NOTs, signs and subqueries without exhausting the stack', () => {
      assert.equal(parseError(`SELECT ${'('.repeat(300)}1${')'.repeat(300)}`).reason, tooDeep);
      assert.equal(parseError(`SELECT ${'NOT '.repeat(300)}TRUE`).reason, tooDeep);
      assert.equal(parseError(`SELECT ${'- '.repeat(300)}1`).reason, tooDeep);
      assert.equal(parseError(`SELECT * FROM ${'('.repeat(300)}SELECT 1${')'.repeat(300)}`).reason, tooDeep);
      assert.equal(parseError(`SELECT ${'CAST('.repeat(300)}1${' AS INT)'.repeat(300)}`).reason, tooDeep);
    });

    it('accepts nesting within the bound and long flat chains', () => {
      assert.equal(parseScript(`SELECT ${'('.repeat(150)}1${')'.repeat(150)}`).statements.length, 1);
      assert.equal(parseScript(`SELECT ${Array(5000).fill('a').join(' + ')} FROM s`).statements.length, 1);
      assert.equal(
        parseScript(`SELECT ${Array(2000).fill('a = 1').join(' OR ')} FROM s`).statements.length,
        1,
      );
    });
  });
});
