/**
 * Scalar functions and operators, one expression at a time: parse, bind against no columns,
 * evaluate. Values follow the engine's representation (timestamps in ms, intervals in ms).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression } from '../../src/analytics/sql/parser.js';
import { bindExpression } from '../../src/analytics/plan/bind-expression.js';
import { Scope } from '../../src/analytics/plan/scope.js';
import { SqlRuntimeError } from '../../src/analytics/functions/sql-runtime-error.js';

const evaluate = (text: string, rowtime = 0): unknown =>
  bindExpression(parseExpression(text), {
    scope: new Scope([]),
    environment: { now: () => 0 },
    intercept: null,
    clause: 'a test',
  }).evaluate([], rowtime);

const at = (iso: string): number => Date.parse(`${iso}Z`);

const cases: readonly [string, unknown][] = [
  ['7 / 2', 3],
  ['-7 / 2', -3],
  ['7.0 / 2', 3.5],
  ['FLOOR(-3.3)', -4],
  ['FLOOR(-3 * 3.1)', -10],
  ['CEIL(5.2)', 6],
  ['CEILING(-3.3)', -3],
  ['STEP(23 BY 5)', 20],
  ['STEP(30 BY 10)', 30],
  ['MOD(17, 5)', 2],
  ['POWER(2, 10)', 1024],
  ['ABS(-2.5)', 2.5],
  ["STEP(TIMESTAMP '2004-09-27 13:48:23' BY INTERVAL '5' DAY)", at('2004-09-24T00:00:00')],
  ["STEP(TIMESTAMP '2004-09-27 13:48:23' BY INTERVAL '10' SECOND)", at('2004-09-27T13:48:20')],
  ["FLOOR(TIMESTAMP '2004-09-27 13:48:23' TO HOUR)", at('2004-09-27T13:00:00')],
  ["CEIL(TIMESTAMP '2004-09-27 13:48:23' TO MONTH)", at('2004-10-01T00:00:00')],
  ["FLOOR(TIMESTAMP '2004-09-27 13:48:23' TO YEAR)", at('2004-01-01T00:00:00')],
  ["EXTRACT(MONTH FROM TIMESTAMP '2004-09-27 13:48:23')", 9],
  ["EXTRACT(HOUR FROM INTERVAL '3 4' DAY TO HOUR)", 4],
  ["(TIMESTAMP '2004-09-27 13:48:23' - TIMESTAMP '2004-09-27 13:00:00') MINUTE", 48 * 60_000],
  ["TIMESTAMP '2004-09-27 13:48:23' + INTERVAL '1:30' HOUR TO MINUTE", at('2004-09-27T15:18:23')],
  ["INTERVAL '59:59.999' MINUTE TO SECOND(3)", 3_599_999],
  ["TSDIFF(TIMESTAMP '2004-09-27 13:48:23', TIMESTAMP '2004-09-27 13:48:24')", 1000],
  ["UNIX_TIMESTAMP(TIMESTAMP '1970-01-01 00:00:01')", 1000],
  ['TO_TIMESTAMP(1000)', 1000],
  ["CHAR_TO_TIMESTAMP('yyyy-MM-dd hh:mm:ss a', '2004-09-27 01:48:23 PM')", at('2004-09-27T13:48:23')],
  ["CHAR_TO_DATE('dd/MM/yyyy', '27/09/2004')", at('2004-09-27T00:00:00')],
  [
    "TIMESTAMP_TO_CHAR('EEE, d MMM yyyy HH:mm:ss.SSS', TIMESTAMP '2004-09-27 13:48:23.5')",
    'Mon, 27 Sep 2004 13:48:23.500',
  ],
  ["CAST('2004-09-27 13:48:23' AS TIMESTAMP)", at('2004-09-27T13:48:23')],
  ["CAST(TIMESTAMP '2004-09-27 13:48:23' AS VARCHAR(30))", '2004-09-27 13:48:23'],
  ["CAST(' 42 ' AS INTEGER)", 42],
  ['CAST(2.7 AS INTEGER)', 2],
  ["CAST('abcdef' AS VARCHAR(3))", 'abc'],
  ["CAST('true' AS BOOLEAN)", true],
  ["CHAR_LENGTH('hello')", 5],
  ["POSITION('l' IN 'hello')", 3],
  ["SUBSTRING('hello', 2, 3)", 'ell'],
  ["SUBSTRING('hello' FROM 4)", 'lo'],
  ["OVERLAY('hello' PLACING 'XY' FROM 2 FOR 3)", 'hXYo'],
  ["TRIM(LEADING 'x' FROM 'xxaxx')", 'axx'],
  ["INITCAP('the QUICK fox')", 'The Quick Fox'],
  ["'ab' || 'cd'", 'abcd'],
  ["'hello' LIKE 'h_l%'", true],
  ["'a_c' LIKE 'a!_c' ESCAPE '!'", true],
  ["'abc' NOT LIKE 'a%'", false],
  ["'abbbc' SIMILAR TO 'ab+c'", true],
  ["'abd' SIMILAR TO 'a(b|c)c'", false],
  ["REGEX_REPLACE('aaa', 'a', 'b', 1, 2)", 'aba'],
  ["REGEX_REPLACE('abcabc', '(b)', '[$1]', 3, 0)", 'abca[b]c'],
  ["REGEX_REPLACE('abc', 'x', 'y', 9, 0)", 'abc'],
  ['COALESCE(NULL, 2, 3)', 2],
  ['NULLIF(2, 2)', null],
  ['NULLIF(2, 3)', 2],
  ["CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", 'two'],
  ["CASE WHEN 1 > 2 THEN 'no' END", null],
  ['2 BETWEEN 1 AND 3', true],
  ['2 IN (1, NULL)', null],
  ['2 IN (1, 2)', true],
  ['NULL AND FALSE', false],
  ['NULL OR TRUE', true],
  ['NULL IS NULL', true],
  ['1 IS NOT DISTINCT FROM 1', true],
  ['NULL IS DISTINCT FROM 1', true],
  ['(1 = NULL) IS UNKNOWN', true],
];

describe('scalar functions and operators', () => {
  for (const [text, expected] of cases) {
    it(text, () => assert.deepEqual(evaluate(text), expected));
  }

  it('parses logs into rows (COLUMN1..n unless the column list names them)', () => {
    assert.deepEqual(evaluate("SYS_LOG_PARSE('Mar 25 15:25:37 host sshd[42]: accepted')"), [
      at('1970-03-25T15:25:37'),
      'host sshd[42]: accepted',
    ]);
    assert.deepEqual(
      evaluate(
        "FIXED_COLUMN_LOG_PARSE('2004-09-27 13:48:23 ERROR disk full', 't TYPE TIMESTAMP ''yyyy-MM-dd HH:mm:ss'' START 0 FOR 19, level TYPE VARCHAR(5) START 20 FOR 5, msg TYPE VARCHAR(40) START 26')",
      ),
      [at('2004-09-27T13:48:23'), 'ERROR', 'disk full'],
    );
    assert.deepEqual(
      evaluate(
        "VARIABLE_COLUMN_LOG_PARSE('1|\"a|b\"|3', 'A INTEGER, B VARCHAR(8), C BIGINT', '|', '', '\"')",
      ),
      [1, 'a|b', 3],
    );
    assert.deepEqual(
      evaluate("REGEX_LOG_PARSE('k=v;n=7', 'k=(\\w+);n=(\\d+)', 'KEY VARCHAR(8), N INTEGER')"),
      ['v', 7],
    );
    assert.equal(evaluate("REGEX_LOG_PARSE('nope', '(\\d+)')"), null);
    assert.deepEqual(
      evaluate("W3C_LOG_PARSE('example.com 10.0.0.1 [24/May/2004:22:01:02 -0700]', '%v %h %t')"),
      ['example.com', '10.0.0.1', '[24/May/2004:22:01:02 -0700]'],
    );
  });

  it('fails rows, not the application, on bad data', () => {
    const failure = (text: string): string => {
      try {
        evaluate(text);
      } catch (error) {
        assert.ok(error instanceof SqlRuntimeError);
        return `${error.errorName}: ${error.message}`;
      }
      return 'no error';
    };
    assert.equal(failure('1 / 0'), 'DivisionByZero: Division by zero');
    assert.equal(failure('1.5E0 / 0'), 'DivisionByZero: Division by zero');
    assert.equal(failure("CAST('x' AS INTEGER)"), "ConversionError: Cannot convert 'x' to a number");
    assert.equal(failure('CAST(300 AS TINYINT)'), 'ConversionError: Value 300 is out of range for TINYINT');
    assert.equal(
      failure("REGEX_REPLACE('a', 'a', 'b', 0, 0)"),
      'InvalidArgument: REGEX_REPLACE start position 0 is less than 1',
    );
    assert.equal(
      failure("CHAR_TO_TIMESTAMP('yyyy-MM-dd', 'nope')"),
      "ConversionError: Cannot parse 'nope' with format 'yyyy-MM-dd'",
    );
  });

  it('evaluates ROWTIME-free CURRENT_TIMESTAMP from the environment clock', () => {
    const bound = bindExpression(parseExpression('CURRENT_TIMESTAMP'), {
      scope: new Scope([]),
      environment: { now: () => 1234 },
      intercept: null,
      clause: 'a test',
    });
    assert.equal(bound.evaluate([], 0), 1234);
  });
});
