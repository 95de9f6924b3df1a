/**
 * Reference §7 function by function: a list of every function §7 names (the machine-learning table
 * functions are checked by their results in sql-ml-functions.test.ts) and a pump that
 * uses it, each of which must bind; then FAST_REGEX_LOG_PARSE and GROUP_RANK, the last two to
 * arrive, by their results.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsOf, runApp, startApp } from './sql-app.js';
import { parseExpression } from '../../src/analytics/sql/parser.js';
import { bindExpression } from '../../src/analytics/plan/bind-expression.js';
import { Scope } from '../../src/analytics/plan/scope.js';

const input = {
  TICKER_SYMBOL: 'VARCHAR(4)',
  SECTOR: 'VARCHAR(16)',
  CHANGE: 'REAL',
  PRICE: 'DOUBLE',
  N: 'INTEGER',
};
const source = '"SOURCE_SQL_STREAM_001"';

/** A select list item over the ticker stream, as a plain projection. */
const scalar = (item: string): string => `SELECT STREAM ${item} FROM ${source}`;
const grouped = (item: string): string =>
  `SELECT STREAM ${item} FROM ${source} GROUP BY ticker_symbol, STEP(${source}.ROWTIME BY INTERVAL '1' MINUTE)`;
/** A log parser's row-valued result, read field by field as the reference's examples do. */
const parsed = (call: string, field: string): string =>
  `SELECT STREAM t.r.${field} FROM (SELECT STREAM ${call} AS r FROM ${source}) AS t`;
const over = (item: string): string =>
  `SELECT STREAM ${item} OVER (PARTITION BY ticker_symbol ROWS 3 PRECEDING) FROM ${source}`;

/** Reference §7.1–§7.8, in its order. */
const section7: readonly [string, string][] = [
  ['COUNT', grouped('COUNT(*)')],
  ['SUM', grouped('SUM(price)')],
  ['AVG', grouped('AVG(price)')],
  ['MIN', grouped('MIN(price)')],
  ['MAX', grouped('MAX(ticker_symbol)')],
  ['FIRST_VALUE', over('FIRST_VALUE(price)')],
  ['LAST_VALUE', over('LAST_VALUE(price) IGNORE NULLS')],
  ['EXP_AVG', over("EXP_AVG(price, INTERVAL '30' SECOND)")],
  [
    'TOP_K_ITEMS_TUMBLING',
    `SELECT STREAM * FROM TABLE(TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM ${source}), 'TICKER_SYMBOL', 10, 60))`,
  ],
  [
    'COUNT_DISTINCT_ITEMS_TUMBLING',
    `SELECT STREAM * FROM TABLE(COUNT_DISTINCT_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM ${source}), 'TICKER_SYMBOL', 60))`,
  ],
  ['ANY', grouped('ANY(price > 10)')],
  ['EVERY', grouped('EVERY(price > 10)')],
  ['STDDEV_POP', grouped('STDDEV_POP(price)')],
  ['STDDEV_SAMP', grouped('STDDEV_SAMP(price)')],
  ['STD_DEV', grouped('STD_DEV(price)')],
  ['VAR_POP', grouped('VAR_POP(price)')],
  ['VAR_SAMP', grouped('VAR_SAMP(price)')],
  [
    'RANDOM_CUT_FOREST',
    `SELECT STREAM ANOMALY_SCORE FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price, n FROM ${source})))`,
  ],
  [
    'RANDOM_CUT_FOREST_WITH_EXPLANATION',
    `SELECT STREAM ANOMALY_EXPLANATION FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(CURSOR(SELECT STREAM price, n FROM ${source}), 10, 20, 500, 1, TRUE))`,
  ],
  [
    'HOTSPOTS',
    `SELECT STREAM HOTSPOTS_RESULT FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM price, change FROM ${source}), 100, 0.2, 5))`,
  ],
  [
    'GROUP_RANK',
    `SELECT STREAM * FROM TABLE(GROUP_RANK(CURSOR(SELECT STREAM * FROM ${source}), 'N', 'rank', 'asc', 'asc', 0, 0))`,
  ],
  ['LAG', over('LAG(price, 1, 0.0) RESPECT NULLS')],
  ['NTH_VALUE', over('NTH_VALUE(price, 2) FROM LAST IGNORE NULLS')],
  [
    'MONOTONIC',
    `SELECT STREAM ticker_symbol, COUNT(*) FROM ${source} GROUP BY ticker_symbol, MONOTONIC(FLOOR(${source}.ROWTIME TO MINUTE))`,
  ],
  ['CAST', scalar('CAST(price AS INTEGER)')],
  ['COALESCE', scalar('COALESCE(sector, ticker_symbol)')],
  ['NULLIF', scalar('NULLIF(n, 0)')],
  ['CURRENT_DATE', scalar('CURRENT_DATE')],
  ['CURRENT_TIME', scalar('CURRENT_TIME')],
  ['CURRENT_TIMESTAMP', scalar('CURRENT_TIMESTAMP')],
  ['LOCALTIME', scalar('LOCALTIME')],
  ['LOCALTIMESTAMP', scalar('LOCALTIMESTAMP')],
  ['CURRENT_ROW_TIMESTAMP', scalar('CURRENT_ROW_TIMESTAMP')],
  ['EXTRACT', scalar(`EXTRACT(SECOND FROM ${source}.ROWTIME)`)],
  ['FLOOR', scalar(`FLOOR(${source}.ROWTIME TO HOUR)`)],
  ['CEIL', scalar(`CEIL(${source}.ROWTIME TO DAY)`)],
  ['CEILING', scalar('CEILING(price)')],
  ['STEP', scalar(`STEP(${source}.ROWTIME BY INTERVAL '10' SECOND)`)],
  ['TSDIFF', scalar(`TSDIFF(${source}.ROWTIME, CURRENT_ROW_TIMESTAMP)`)],
  ['UNIX_TIMESTAMP', scalar(`UNIX_TIMESTAMP(${source}.ROWTIME)`)],
  ['TO_TIMESTAMP', scalar('TO_TIMESTAMP(1000 * n)')],
  ['CHAR_TO_TIMESTAMP', scalar("CHAR_TO_TIMESTAMP('yyyy-MM-dd HH:mm:ss', sector)")],
  ['CHAR_TO_DATE', scalar("CHAR_TO_DATE('yyyy-MM-dd', sector)")],
  ['CHAR_TO_TIME', scalar("CHAR_TO_TIME('HH:mm:ss', sector)")],
  ['TIMESTAMP_TO_CHAR', scalar(`TIMESTAMP_TO_CHAR('yyyy-MM-dd hh:mm:ss a', ${source}.ROWTIME)`)],
  ['DATE_TO_CHAR', scalar("DATE_TO_CHAR('dd/MM/yyyy', CURRENT_DATE)")],
  ['TIME_TO_CHAR', scalar("TIME_TO_CHAR('HH:mm', CURRENT_TIME)")],
  ['ABS', scalar('ABS(change)')],
  ['EXP', scalar('EXP(change)')],
  ['LN', scalar('LN(price)')],
  ['LOG10', scalar('LOG10(price)')],
  ['MOD', scalar('MOD(n, 7)')],
  ['POWER', scalar('POWER(price, 2)')],
  ['CHAR_LENGTH', scalar('CHAR_LENGTH(sector)')],
  ['CHARACTER_LENGTH', scalar('CHARACTER_LENGTH(sector)')],
  ['LOWER', scalar('LOWER(sector)')],
  ['UPPER', scalar('UPPER(sector)')],
  ['INITCAP', scalar('INITCAP(sector)')],
  ['POSITION', scalar("POSITION('E' IN sector)")],
  ['SUBSTRING', scalar('SUBSTRING(sector FROM 2 FOR 3)')],
  ['TRIM', scalar("TRIM(BOTH ' ' FROM sector)")],
  ['OVERLAY', scalar("OVERLAY(sector PLACING 'x' FROM 1 FOR 1)")],
  ['REGEX_REPLACE', scalar("REGEX_REPLACE(sector, 'E', 'e', 1, 0)")],
  ['REGEX_LOG_PARSE', parsed("REGEX_LOG_PARSE(sector, '(\\w+)')", 'COLUMN1')],
  ['FAST_REGEX_LOG_PARSE', parsed("FAST_REGEX_LOG_PARSE(sector, '(.*)E(.*)')", 'COLUMN2')],
  ['FAST_REGEX_LOG_PARSER', parsed("FAST_REGEX_LOG_PARSER(sector, '(.*)')", 'COLUMN1')],
  [
    'FIXED_COLUMN_LOG_PARSE',
    parsed("FIXED_COLUMN_LOG_PARSE(sector, 'A TYPE VARCHAR(2) START 0 FOR 2, B TYPE INTEGER START 2')", 'A'),
  ],
  ['VARIABLE_COLUMN_LOG_PARSE', parsed("VARIABLE_COLUMN_LOG_PARSE(sector, 2, ',')", 'COLUMN2')],
  ['SYS_LOG_PARSE', parsed('SYS_LOG_PARSE(sector)', 'COLUMN2')],
  ['W3C_LOG_PARSE', parsed("W3C_LOG_PARSE(sector, 'COMMON')", 'COLUMN7')],
];

describe('reference §7: every function binds', () => {
  for (const [name, query] of section7) {
    it(name, () => {
      assert.ok(query.includes(name), `the query for ${name} uses it`);
      const code = `CREATE STREAM OUT_STREAM (x VARCHAR(1024));
        CREATE PUMP P AS INSERT INTO OUT_STREAM (x) SELECT STREAM CAST(x AS VARCHAR(1024)) FROM (${query}) AS q(x${extraColumns(query)});`;
      assert.doesNotThrow(() => runApp(code, input, []), `${name}: ${query}`);
    });
  }
});

/** The subquery's column list after the first (`q(x, c2, c3, ...)`) for queries with more columns. */
function extraColumns(query: string): string {
  if (query.includes('TOP_K_ITEMS_TUMBLING')) return ', c2';
  if (query.includes('GROUP_RANK')) return ', c2, c3, c4, c5, c6';
  if (query.includes('MONOTONIC')) return ', c2';
  return '';
}

const evaluate = (text: string): unknown =>
  bindExpression(parseExpression(text), {
    scope: new Scope([]),
    environment: { now: () => 0 },
    intercept: null,
    clause: 'a test',
  }).evaluate([], 0);

describe('FAST_REGEX_LOG_PARSE', () => {
  it('parses lazily, field by field, and needs the whole line to be consumed', () => {
    assert.deepEqual(
      evaluate(
        `FAST_REGEX_LOG_PARSE('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326', '(.*) (.*) (.*) \\[(.*)\\] \\"(.*)\\" (<Digit>+) (.*)')`,
      ),
      ['127.0.0.1', '-', 'frank', '10/Oct/2000:13:55:36 -0700', 'GET /a.gif HTTP/1.0', '200', '2326'],
    );
    // "..." is a literal string; \" a quote character.
    // Lazy: the first field stops at the first separator it can.
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('a-b-c', '(.*)-(.*)')"), ['a', 'b-c']);
    assert.deepEqual(evaluate(`FAST_REGEX_LOG_PARSE('k=12', '"k="(<0-99>)')`), ['12']);
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('x9y', '([a-z])[0-9]([^0-9]+)')"), ['x', 'y']);
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('ab', '(a|b){2}()')"), ['b', '']);
    // Characters left over: no fields at all.
    assert.equal(evaluate("FAST_REGEX_LOG_PARSE('k=123', '\"k=\"(<0-99>)')"), null);
    assert.equal(evaluate("FAST_REGEX_LOG_PARSE('abc!', '([a-z]+)')"), null);
  });

  it("matches FRLP's series of expressions: no going back, stretches between fields take all they can", () => {
    // The reference's Examples A and B: the first field stops at the first underscore for good.
    assert.equal(evaluate("FAST_REGEX_LOG_PARSE('Mary_had_a_little_lamb', '(.*)_+(._.*)')"), null);
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('Mary____had', '(.*)_+(.*)')"), ['Mary', 'had']);
    // A fixed-length field moves into the expression before it; an empty group is an empty field.
    assert.deepEqual(evaluate(`FAST_REGEX_LOG_PARSE('xab', '"x"(ab)')`), ['ab']);
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('ab', '(ab)()')"), ['ab', '']);
    // The line must be consumed to its end.
    assert.equal(evaluate(`FAST_REGEX_LOG_PARSE('xab!', '"x"(ab)')`), null);
  });

  it('intersects with & (a field both sides match, tighter than |, looser than concatenation)', () => {
    assert.deepEqual(evaluate(`FAST_REGEX_LOG_PARSE('abc123', '([a-z]+&"abc")(<Digit>+)')`), ['abc', '123']);
    assert.equal(evaluate(`FAST_REGEX_LOG_PARSE('abc123', '([a-z]+&"abd")(<Digit>+)')`), null);
    // An IP-like field: digits that also fall in <0-255>; the second octet does not.
    const octets = `'(<Digit>+&<0-255>)\\.(<Digit>+&<0-255>)'`;
    assert.deepEqual(evaluate(`FAST_REGEX_LOG_PARSE('12.200', ${octets})`), ['12', '200']);
    assert.equal(evaluate(`FAST_REGEX_LOG_PARSE('12.300', ${octets})`), null);
    // The first side alone would stop at the first separator; the second forces the whole word.
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('ab cd ef', '(@&[a-z]+ [a-z]+) (@)')"), ['ab cd', 'ef']);
    // Groups inside the checked side are columns too, numbered left to right.
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('xy1', '(@&(x)@)(<Digit>)')"), ['xy', 'x', '1']);
    assert.deepEqual(evaluate("FAST_REGEX_LOG_PARSE('q', '(a&a)|(q)')"), [null, 'q']);
  });

  it('refuses patterns it cannot compile, with the position', () => {
    assert.throws(() => evaluate("FAST_REGEX_LOG_PARSE('a', 'a*&*')"), /unexpected '\*' at position 5/);
    assert.throws(() => evaluate("FAST_REGEX_LOG_PARSE('a', '<Nope>')"), /unknown named pattern <Nope>/);
    assert.throws(() => evaluate("FAST_REGEX_LOG_PARSE('a', '(a')"), /expected '\)' at position 3/);
  });
});

describe('GROUP_RANK', () => {
  const code = (sortOrder: string, outputOrder: string, outputMax: number, maxIdle = 1000): string => `
    CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n INTEGER, r INTEGER);
    CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM ticker_symbol, n, "groupRank" FROM TABLE(GROUP_RANK(
        CURSOR(SELECT STREAM * FROM ${source}), 'N', 'groupRank', '${sortOrder}', '${outputOrder}', ${maxIdle}, ${outputMax}));`;
  const row = (at: string, TICKER_SYMBOL: string, N: number) => ({
    at: `2026-01-01T${at}`,
    row: { TICKER_SYMBOL, N, SECTOR: 'TECH', CHANGE: 0, PRICE: 1 },
  });
  const steps = [
    row('10:00:00', 'A', 5),
    row('10:00:00', 'B', 9),
    row('10:00:00', 'C', 5),
    row('10:00:00', 'D', 1),
    row('10:00:01', 'E', 3), // a new ROWTIME releases the first group
    { bound: '2026-01-01T10:00:02' }, // a bound maxIdle (1 s) past the second releases it
  ];

  it('ranks each ROWTIME group (ties share a rank) and emits it in rank order', () => {
    assert.deepEqual(rowsOf(runApp(code('desc', 'asc', 0), input, steps)), [
      ['10:00:00.000', 'B', 9, 1],
      ['10:00:00.000', 'A', 5, 2],
      ['10:00:00.000', 'C', 5, 2],
      ['10:00:00.000', 'D', 1, 4],
      ['10:00:01.000', 'E', 3, 1],
    ]);
  });

  it('reverses the output order and keeps at most outputMax rows', () => {
    assert.deepEqual(rowsOf(runApp(code('asc', 'desc', 2), input, steps)), [
      ['10:00:00.000', 'B', 9, 4],
      ['10:00:00.000', 'A', 5, 2],
      ['10:00:01.000', 'E', 3, 1],
    ]);
  });

  it('holds a group maxIdle milliseconds past its ROWTIME when only the clock moves', () => {
    const idle = code('desc', 'asc', 0, 1500);
    const app = startApp(idle, input);
    assert.deepEqual(rowsOf(app.feed([row('10:00:00', 'A', 5), row('10:00:00', 'B', 9)])), []);
    // One second of quiet is less than maxIdle: the group waits.
    assert.deepEqual(rowsOf(app.feed([{ bound: '2026-01-01T10:00:01' }])), []);
    // 1.5 s after the group's ROWTIME the idle limit is reached.
    assert.deepEqual(rowsOf(app.feed([{ bound: '2026-01-01T10:00:01.500' }])), [
      ['10:00:00.000', 'B', 9, 1],
      ['10:00:00.000', 'A', 5, 2],
    ]);
    // A row with a later ROWTIME still releases the group at once, whatever maxIdle says.
    assert.deepEqual(rowsOf(app.feed([row('10:00:05', 'C', 1), row('10:00:05.001', 'D', 2)])), [
      ['10:00:05.000', 'C', 1, 1],
    ]);
  });

  it('with maxIdle 0 (no idle timeout) holds a group until a later ROWTIME or the end of the input', () => {
    const app = startApp(code('desc', 'asc', 0, 0), input);
    assert.deepEqual(rowsOf(app.feed([row('10:00:00', 'A', 5), { bound: '2026-01-01T11:00:00' }])), []);
    const start = app.out.length;
    app.engine.end(Date.parse('2026-01-01T12:00:00Z'));
    assert.deepEqual(rowsOf(app.out.slice(start)), [['10:00:00.000', 'A', 5, 1]]);
  });

  it('refuses bad arguments', () => {
    assert.throws(() => runApp(code('up', 'asc', 0), input, []), /sortOrder must be 'asc' or 'desc'/);
    assert.throws(
      () => runApp(code('asc', 'asc', 0).replace("'N', 'groupRank'", "'PRICE', 'groupRank'"), input, []),
      /GROUP_RANK ranks INTEGER, CHAR or VARCHAR columns, not DOUBLE/,
    );
  });
});
