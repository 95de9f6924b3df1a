/**
 * The printer: canonical output for a few statements, name quoting, and a generated check that
 * random expression trees (built with the AST factories, so shapes the parser would never
 * produce from tidy SQL are covered too) print to SQL that parses back to the same tree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ast from '../../src/analytics/sql/ast.js';
import { parseExpression, parseScript } from '../../src/analytics/sql/parser.js';
import { printExpression, printScript } from '../../src/analytics/sql/printer.js';
import { quoteName } from '../../src/analytics/sql/print-expression.js';
import { seededRandom } from '../../src/core/seeded-random.js';

const span: ast.Span = { start: 0, end: 0, line: 1, column: 1 };
const id = (name: string): ast.Identifier => ast.identifier(name, span);

const random = seededRandom;

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const names = ['A', 'b', 'ROWTIME', 'SELECT', 'STEP', 'PRECEDING', 'x y', 'CURRENT_ROW_TIMESTAMP'];
  const leaf = (): ast.Expression =>
    pick<() => ast.Expression>([
      () => ast.literal({ type: 'integer', value: String(Math.floor(next() * 100)), span }),
      () => ast.literal({ type: 'decimal', value: '1.5', span }),
      () => ast.literal({ type: 'string', value: pick(["it's", '', '--', 'a\nb']), span }),
      () => ast.literal({ type: pick(['null', 'unknown'] as const), value: 'NULL', span }),
      () => ast.literal({ type: 'boolean', value: pick(['TRUE', 'FALSE']), span }),
      () => ast.columnReference([id(pick(names))], span),
      () => ast.columnReference([id(pick(names)), id(pick(names))], span),
      () =>
        ast.intervalLiteral({
          negative: next() < 0.3,
          value: '1',
          qualifier: ast.intervalQualifier({
            start: 'HOUR',
            startPrecision: null,
            end: pick(['MINUTE', null]),
            fractionalPrecision: null,
            span,
          }),
          span,
        }),
      () => ast.datetimeLiteral({ type: 'TIMESTAMP', value: '2004-09-27 13:48:23', span }),
    ])();
  const fixLiteral = (e: ast.Expression): ast.Expression =>
    e.kind === 'literal' && (e.type === 'null' || e.type === 'unknown')
      ? { ...e, value: e.type.toUpperCase() }
      : e;

  const expression = (depth: number): ast.Expression => {
    if (depth <= 0 || next() < 0.2) return fixLiteral(leaf());
    const sub = (): ast.Expression => expression(depth - 1);
    return pick<() => ast.Expression>([
      () => ast.binary({ operator: pick(ast.binaryOperators), left: sub(), right: sub(), span }),
      () => ast.binary({ operator: pick(ast.binaryOperators), left: sub(), right: sub(), span }),
      () => ast.unary({ operator: pick(['-', '+', 'NOT'] as const), operand: sub(), span }),
      () =>
        ast.isTest({
          operand: sub(),
          negated: next() < 0.5,
          test: pick(['NULL', 'TRUE', 'FALSE', 'UNKNOWN'] as const),
          span,
        }),
      () => ast.isDistinctFrom({ left: sub(), right: sub(), negated: next() < 0.5, span }),
      () => ast.between({ operand: sub(), low: sub(), high: sub(), negated: next() < 0.5, span }),
      () =>
        ast.like({
          operator: pick(['LIKE', 'SIMILAR TO'] as const),
          operand: sub(),
          pattern: sub(),
          escape: next() < 0.5 ? sub() : null,
          negated: next() < 0.5,
          span,
        }),
      () => ast.inList({ operand: sub(), list: [sub(), sub()], negated: next() < 0.5, span }),
      () =>
        ast.intervalQualified({
          operand: sub(),
          qualifier: ast.intervalQualifier({
            start: 'MINUTE',
            startPrecision: null,
            end: 'SECOND',
            fractionalPrecision: null,
            span,
          }),
          span,
        }),
      () =>
        ast.timeFloor({ function: pick(['FLOOR', 'CEIL'] as const), operand: sub(), unit: 'MINUTE', span }),
      () => ast.step({ operand: sub(), by: sub(), span }),
      () => ast.position({ needle: sub(), haystack: sub(), span }),
      () =>
        ast.trim({
          side: pick(['BOTH', null] as const),
          characters: next() < 0.5 ? sub() : null,
          operand: sub(),
          span,
        }),
      () =>
        ast.caseExpression({
          operand: next() < 0.5 ? sub() : null,
          whens: [ast.whenClause({ when: sub(), then: sub(), span })],
          else: next() < 0.5 ? sub() : null,
          span,
        }),
      () =>
        ast.call({
          name: [id(pick(['F', 'FLOOR', 'STEP', 'SUBSTRING', 'COUNT', 'LAG']))],
          quantifier: pick(['DISTINCT', null] as const),
          star: false,
          args: [sub(), sub()],
          from: null,
          nullTreatment: pick(['IGNORE NULLS', null] as const),
          over: next() < 0.3 ? ast.windowName(id('W'), span) : null,
          bare: false,
          span,
        }),
      () =>
        ast.cast({
          operand: sub(),
          type: ast.dataType({ name: 'VARCHAR', length: 8, scale: null, interval: null, span }),
          span,
        }),
    ])();
  };
  return expression;
}

describe('SQL printer', () => {
  it('prints random expression trees that parse back to the same tree', () => {
    const next = random(7);
    const expression = generator(next);
    for (let round = 0; round < 3000; round += 1) {
      const tree = expression(4);
      const text = printExpression(tree);
      assert.deepEqual(ast.withoutSpans(parseExpression(text)), ast.withoutSpans(tree), text);
    }
  });

  it('quotes names that are not plain upper case, or are reserved or contextual words', () => {
    assert.deepEqual(
      [
        'TICKER',
        '_X1',
        'ticker',
        'Ticker',
        '1A',
        'A B',
        'a"b',
        'FROM',
        'TIMESTAMP',
        'PRECEDING',
        'CURRENT_ROW_TIMESTAMP',
        'ROWTIME',
        'STEP',
      ].map(quoteName),
      [
        'TICKER',
        '_X1',
        '"ticker"',
        '"Ticker"',
        '"1A"',
        '"A B"',
        '"a""b"',
        '"FROM"',
        '"TIMESTAMP"',
        '"PRECEDING"',
        '"CURRENT_ROW_TIMESTAMP"',
        'ROWTIME',
        'STEP',
      ],
    );
  });

  it('prints canonical SQL', () => {
    const source = `create or replace pump "p" as insert into "out" (a, "b")
      select stream t.a, count(*) as n from "in" as t left join ref r on t.a = r.a
      where t.a <> 'x''y' group by t.a, step(t.rowtime by interval '1' minute)`;
    assert.equal(
      printScript(parseScript(source)),
      [
        'CREATE OR REPLACE PUMP "p" AS',
        'INSERT INTO "out" (A, "b")',
        'SELECT STREAM T.A, COUNT(*) AS N',
        'FROM "in" AS T',
        'LEFT JOIN REF AS R ON T.A = R.A',
        "WHERE T.A <> 'x''y'",
        "GROUP BY T.A, STEP(T.ROWTIME BY INTERVAL '1' MINUTE);",
        '',
      ].join('\n'),
    );
  });

  it('prints stream definitions one column a line', () => {
    const source = "create stream s (a int not null, b decimal(5,2), c varchar(4)) description 'd'";
    assert.equal(
      printScript(parseScript(source)),
      "CREATE STREAM S (\n  A INTEGER NOT NULL,\n  B DECIMAL(5, 2),\n  C VARCHAR(4)\n) DESCRIPTION 'd';\n",
    );
  });
});
