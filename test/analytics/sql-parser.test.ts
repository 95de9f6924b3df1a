/** The parser: expression precedence, special syntax, query structure, statements and spans. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Query, Select } from '../../src/analytics/sql/ast.js';
import { parseExpression, parseScript } from '../../src/analytics/sql/parser.js';
import { shape } from './sql-shape.js';

const expr = (source: string): string => shape(parseExpression(source));

function onlyQuery(source: string): Query {
  const [statement] = parseScript(source).statements;
  assert.ok(statement?.kind === 'queryStatement');
  return statement.query;
}

function onlySelect(source: string): Select {
  const query = onlyQuery(source);
  assert.ok(query.kind === 'select');
  return query;
}

describe('SQL parser', () => {
  describe('precedence', () => {
    const cases: [string, string][] = [
      ['a + b * c', '(+ A (* B C))'],
      ['a - b - c', '(- (- A B) C)'],
      ['a / b * c', '(* (/ A B) C)'],
      ['a || b * c', '(* (|| A B) C)'],
      ['a || b + c', '(+ (|| A B) C)'],
      ['-a * b', '(* (- A) B)'],
      ['- -a', '(- (- A))'],
      ['a OR b AND c', '(OR A (AND B C))'],
      ['NOT a = b AND c', '(AND (NOT (= A B)) C)'],
      ['NOT NOT a', '(NOT (NOT A))'],
      ['a = b OR c <> d', '(OR (= A B) (<> C D))'],
      ['a != b', '(<> A B)'],
      ['a + 1 < b * 2', '(< (+ A 1) (* B 2))'],
      ['a BETWEEN 1 AND 2 + 3 AND b', '(AND (BETWEEN A 1 (+ 2 3)) B)'],
      ['a NOT BETWEEN b AND c', '(NOT BETWEEN A B C)'],
      ["a NOT LIKE 'x%' ESCAPE '!'", "(NOT LIKE A 'x%' '!')"],
      ["a SIMILAR TO 'x' OR b", "(OR (SIMILAR TO A 'x') B)"],
      ['a NOT IN (1, 2) AND b IN (3)', '(AND (NOT IN A 1 2) (IN B 3))'],
      ['a IS NOT NULL AND b IS UNKNOWN', '(AND (IS NOT NULL A) (IS UNKNOWN B))'],
      ['a IS NOT DISTINCT FROM b + 1', '(IS NOT DISTINCT A (+ B 1))'],
      ['a = b IS TRUE', '(IS TRUE (= A B))'],
      ['(a + b) * c', '(* (+ A B) C)'],
    ];
    for (const [source, expected] of cases) {
      it(source, () => assert.equal(expr(source), expected));
    }
  });

  describe('datetime and interval syntax', () => {
    it('reads interval literals with their qualifiers', () => {
      assert.equal(expr("INTERVAL '1:30' HOUR TO MINUTE"), "INTERVAL'1:30'HOUR-MINUTE");
      assert.equal(expr("INTERVAL -'5' MINUTE"), "INTERVAL-'5'MINUTE");
      const literal = parseExpression("INTERVAL '59:59.999' MINUTE TO SECOND(3)");
      assert.ok(literal.kind === 'intervalLiteral');
      assert.deepEqual(
        [
          literal.qualifier.start,
          literal.qualifier.end,
          literal.qualifier.startPrecision,
          literal.qualifier.fractionalPrecision,
        ],
        ['MINUTE', 'SECOND', null, 3],
      );
    });

    it('reads interval arithmetic and (t1 - t2) qualifier', () => {
      assert.equal(expr("ROWTIME + INTERVAL '1' MINUTE"), "(+ ROWTIME INTERVAL'1'MINUTE)");
      assert.equal(expr("3 * INTERVAL '1' DAY"), "(* 3 INTERVAL'1'DAY)");
      assert.equal(
        expr("(s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 60"),
        "(/ (QUALIFY (- S.ROWTIME TIMESTAMP'1970-01-01 00:00:00') SECOND) 60)",
      );
      assert.equal(expr('(t1 - t2) MINUTE TO SECOND'), '(QUALIFY (- T1 T2) MINUTE-SECOND)');
    });

    it('reads FLOOR/CEIL ... TO, STEP ... BY and EXTRACT, and their plain forms', () => {
      assert.equal(expr('FLOOR(s.ROWTIME TO MINUTE)'), '(FLOOR S.ROWTIME TO MINUTE)');
      assert.equal(expr('CEILING(ROWTIME TO HOUR)'), '(CEIL ROWTIME TO HOUR)');
      assert.equal(expr('FLOOR(-3.3)'), '(FLOOR (- 3.3))');
      assert.equal(expr("STEP(s.ROWTIME BY INTERVAL '60' SECOND)"), "(STEP S.ROWTIME BY INTERVAL'60'SECOND)");
      assert.equal(expr('STEP(23 BY 5)'), '(STEP 23 BY 5)');
      assert.equal(expr('EXTRACT(SECOND FROM ROWTIME)'), '(EXTRACT SECOND ROWTIME)');
    });
  });

  describe('names and calls', () => {
    it('folds unquoted parts and keeps quoted ones', () => {
      assert.equal(expr('"Src".ticker."Field"'), 'Src.TICKER.Field');
      assert.equal(expr('t.r.COLUMN1'), 'T.R.COLUMN1');
    });

    it('reads non-reserved keywords as names where a name stands', () => {
      assert.equal(
        expr('step + floor + position + stagger + description + rowtime'),
        '(+ (+ (+ (+ (+ STEP FLOOR) POSITION) STAGGER) DESCRIPTION) ROWTIME)',
      );
    });

    it('reads aggregate and analytic calls', () => {
      assert.equal(expr('COUNT(*)'), '(COUNT *)');
      assert.equal(expr('count(DISTINCT a)'), '(COUNT DISTINCT A)');
      assert.equal(expr('SUM(ALL a)'), '(SUM ALL A)');
      assert.equal(expr('LAG(a, 2, 0) IGNORE NULLS OVER w'), '(LAG A 2 0) IGNORE NULLS OVER W');
      assert.equal(
        expr("AVG(a) OVER (PARTITION BY b RANGE INTERVAL '1' MINUTE PRECEDING)"),
        '(AVG A) OVER (...)',
      );
      assert.equal(expr('CURRENT_TIMESTAMP + 1'), '(+ CURRENT_TIMESTAMP 1)');
      assert.equal(expr('CURRENT_ROW_TIMESTAMP()'), '(CURRENT_ROW_TIMESTAMP)');
      assert.equal(expr('"myFunc"(1)'), '(myFunc 1)');
    });

    it('reads the string functions with keyword arguments', () => {
      assert.equal(expr("POSITION('a' IN s)"), "(POSITION 'a' S)");
      assert.equal(expr('SUBSTRING(s FROM 2 FOR 3)'), '(SUBSTRING S 2 3)');
      assert.equal(expr('SUBSTRING(s, 2, 3)'), '(SUBSTRING S 2 3)');
      assert.equal(parseExpression('SUBSTRING(s, 2, 3)').kind, 'call');
      assert.equal(expr("TRIM(LEADING 'x' FROM s)"), "(TRIM LEADING 'x' S)");
      assert.equal(expr('TRIM(s)'), '(TRIM - - S)');
      assert.equal(expr('TRIM(BOTH FROM s)'), '(TRIM BOTH - S)');
      assert.equal(expr("OVERLAY(s PLACING 'x' FROM 2)"), "(OVERLAY S 'x' 2)");
      assert.equal(expr('CAST(a AS DOUBLE PRECISION)'), '(CAST A DOUBLE)');
      assert.equal(expr("CASE a WHEN 1 THEN 'x' ELSE 'y' END"), "(CASE A [1 'x'] 'y')");
      assert.equal(expr('CASE WHEN a > 0 THEN 1 END'), '(CASE [(> A 0) 1])');
    });
  });

  describe('queries', () => {
    it('reads the select list: STREAM, *, t.*, aliases with and without AS', () => {
      const query = onlySelect('SELECT STREAM *, s.*, a AS x, b y, c "z" FROM s');
      assert.equal(query.stream, true);
      assert.deepEqual(
        query.items.map((item) =>
          item.kind === 'starItem'
            ? `${item.qualifier.map((q) => q.name).join('.')}.*`
            : `${shape(item.expression)}:${item.alias?.name}`,
        ),
        ['.*', 'S.*', 'A:X', 'B:Y', 'C:z'],
      );
    });

    it('builds joins left-deep and keeps parenthesised right operands', () => {
      const query = onlySelect('SELECT * FROM a JOIN b ON x LEFT JOIN (c CROSS JOIN d) ON y, e');
      assert.equal(query.from.length, 2);
      const [tree] = query.from;
      assert.ok(tree?.kind === 'join' && tree.type === 'LEFT');
      assert.equal(tree.left.kind === 'join' && tree.left.type, 'INNER');
      assert.equal(tree.right.kind === 'join' && tree.right.type, 'CROSS');
    });

    it('takes OVER before or after the alias of a joined stream', () => {
      for (const source of [
        "SELECT STREAM * FROM o JOIN t OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS x ON o.id = x.id",
        "SELECT STREAM * FROM o JOIN t AS x OVER (RANGE INTERVAL '1' MINUTE PRECEDING) ON o.id = x.id",
      ]) {
        const [join] = onlySelect(source).from;
        assert.ok(join?.kind === 'join' && join.right.kind === 'namedSource');
        assert.equal(join.right.over?.kind, 'windowSpecification');
        assert.equal(join.right.correlation?.alias.name, 'X');
      }
    });

    it('binds INTERSECT tighter than UNION and EXCEPT, and ORDER BY to the whole query', () => {
      const query = onlyQuery(
        'SELECT a FROM t UNION ALL SELECT b FROM u INTERSECT SELECT c FROM v ORDER BY 1',
      );
      assert.ok(query.kind === 'setOperation');
      assert.equal(query.operator, 'UNION');
      assert.equal(query.all, true);
      assert.equal(query.right.kind === 'setOperation' && query.right.operator, 'INTERSECT');
      assert.equal(query.orderBy?.items.length, 1);
    });

    it('reads the clauses of a streaming aggregation in order', () => {
      const query = onlySelect(
        "SELECT STREAM k, COUNT(*) FROM s WHERE k > 0 GROUP BY k, STEP(s.ROWTIME BY INTERVAL '1' MINUTE) HAVING COUNT(*) > 1",
      );
      assert.deepEqual(query.groupBy.map(shape), ['K', "(STEP S.ROWTIME BY INTERVAL'1'MINUTE)"]);
      assert.equal(query.having === null ? null : shape(query.having), '(> (COUNT *) 1)');
    });

    it('reads WINDOWED BY STAGGER and the WINDOW clause', () => {
      const stagger = onlySelect(
        "SELECT STREAM k FROM s WINDOWED BY STAGGER (PARTITION BY k, j RANGE INTERVAL '1' MINUTE)",
      );
      assert.deepEqual(stagger.windowedBy?.partitionBy.map(shape), ['K', 'J']);
      const windowed = onlySelect(
        'SELECT STREAM SUM(a) OVER w FROM s WINDOW w AS (PARTITION BY k ROWS 10 PRECEDING), v AS ()',
      );
      assert.deepEqual(
        windowed.windows.map((w) => [w.name.name, w.specification.frame?.unit ?? null]),
        [
          ['W', 'ROWS'],
          ['V', null],
        ],
      );
    });
  });

  describe('statements and spans', () => {
    it('reads a script of statements with the last ; optional and empty statements skipped', () => {
      const script = parseScript(';;CREATE STREAM s (a INT);\n;\nSELECT STREAM * FROM s');
      assert.deepEqual(
        script.statements.map((s) => s.kind),
        ['createStream', 'queryStatement'],
      );
      assert.deepEqual(parseScript('  -- nothing\n').statements, []);
    });

    it('reads pump inserts with and without column lists', () => {
      const [pump] = parseScript(
        'CREATE OR REPLACE PUMP p AS INSERT INTO out SELECT STREAM * FROM s',
      ).statements;
      assert.ok(pump?.kind === 'createPump');
      assert.equal(pump.orReplace, true);
      assert.equal(pump.insert.columns, null);
      const [insert] = parseScript('INSERT INTO out (a, "b") (SELECT STREAM * FROM s)').statements;
      assert.ok(insert?.kind === 'insert');
      assert.deepEqual(
        insert.columns?.map((c) => c.name),
        ['A', 'b'],
      );
    });

    it('gives every node the span of its source', () => {
      const source = 'CREATE STREAM s (a INT);\nSELECT STREAM\n  x.col + 1 AS y\nFROM s AS x;';
      const [create, query] = parseScript(source).statements;
      assert.equal(source.slice(create!.span.start, create!.span.end), 'CREATE STREAM s (a INT)');
      assert.ok(query?.kind === 'queryStatement' && query.query.kind === 'select');
      assert.deepEqual([query.span.line, query.span.column], [2, 1]);
      const [item] = query.query.items;
      assert.ok(item?.kind === 'expressionItem' && item.expression.kind === 'binary');
      const column = item.expression.left;
      assert.equal(source.slice(column.span.start, column.span.end), 'x.col');
      assert.deepEqual([column.span.line, column.span.column], [3, 3]);
      assert.ok(column.kind === 'column');
      assert.deepEqual([column.parts[1]?.span.line, column.parts[1]?.span.column], [3, 5]);
      assert.equal(source.slice(item.span.start, item.span.end), 'x.col + 1 AS y');
    });
  });
});
