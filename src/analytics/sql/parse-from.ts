/**
 * The FROM clause: a comma list of join trees over streams, tables, subqueries and TABLE(...)
 * table functions, each with an optional OVER window (stream-to-stream joins) and alias.
 */
import {
  correlation,
  join,
  namedSource,
  subquerySource,
  tableFunctionSource,
  type Correlation,
  type FromItem,
  type Identifier,
  type JoinType,
  type WindowReference,
} from './ast.js';
import { parseExpression } from './parse-expression.js';
import { parseAlias, parseQuery } from './parse-query.js';
import { parseWindowReference } from './parse-window.js';
import type { TokenCursor } from './token-cursor.js';

export function parseFromList(c: TokenCursor): FromItem[] {
  return c.list(() => parseJoinTree(c));
}

function parseJoinTree(c: TokenCursor): FromItem {
  const start = c.peek();
  let left = parseFromPrimary(c);
  for (;;) {
    const natural = c.acceptWord('NATURAL') !== null;
    const type = parseJoinType(c);
    if (type === null) {
      if (natural) c.fail('JOIN, INNER, LEFT, RIGHT or FULL after NATURAL');
      return left;
    }
    const right = parseFromPrimary(c);
    let on = null;
    let using: Identifier[] | null = null;
    if (type !== 'CROSS' && !natural) {
      if (c.acceptWord('ON')) on = parseExpression(c);
      else if (c.acceptWord('USING')) using = c.identifierList('a column name');
      else c.fail('ON or USING');
    }
    left = join({ type, natural, left, right, on, using, span: c.spanFrom(start) });
  }
}

function parseJoinType(c: TokenCursor): JoinType | null {
  if (c.acceptWord('JOIN')) return 'INNER';
  if (c.acceptWord('CROSS')) {
    c.expectWord('JOIN');
    return 'CROSS';
  }
  if (c.acceptWord('INNER')) {
    c.expectWord('JOIN');
    return 'INNER';
  }
  for (const type of ['LEFT', 'RIGHT', 'FULL'] as const) {
    if (c.acceptWord(type)) {
      c.acceptWord('OUTER');
      c.expectWord('JOIN');
      return type;
    }
  }
  return null;
}

function parseFromPrimary(c: TokenCursor): FromItem {
  const start = c.peek();
  if (c.acceptWord('TABLE')) {
    c.expectOperator('(');
    const expression = parseExpression(c);
    if (expression.kind !== 'call' || expression.bare || expression.over !== null) {
      return c.error(
        'TABLE(...) must hold a table function call, as in TABLE(f(CURSOR(SELECT STREAM ...)))',
        expression.span,
      );
    }
    c.expectOperator(')');
    return tableFunctionSource({
      call: expression,
      correlation: parseCorrelation(c),
      span: c.spanFrom(start),
    });
  }
  if (c.isOperator('(')) {
    if (!startsQuery(c)) {
      return c.nested(() => {
        c.next();
        const inner = parseJoinTree(c);
        c.expectOperator(')');
        return inner;
      });
    }
    c.next();
    const query = parseQuery(c);
    c.expectOperator(')');
    const { over, correlation: alias } = parseWindowAndAlias(c);
    return subquerySource({ query, over, correlation: alias, span: c.spanFrom(start) });
  }
  const name = c.qualifiedName('a stream or table name');
  const { over, correlation: alias } = parseWindowAndAlias(c);
  return namedSource({ name, over, correlation: alias, span: c.spanFrom(start) });
}

/** After '(' comes a query (possibly after more '(') rather than a parenthesised join. */
function startsQuery(c: TokenCursor): boolean {
  let ahead = 1;
  while (c.isOperator('(', ahead)) ahead += 1;
  return c.isWord('SELECT', ahead) || c.isWord('VALUES', ahead);
}

/** `[OVER w] [[AS] alias [(cols)]] [OVER w]`: the window may come before or after the alias. */
function parseWindowAndAlias(c: TokenCursor): {
  over: WindowReference | null;
  correlation: Correlation | null;
} {
  let over = c.acceptWord('OVER') ? parseWindowReference(c) : null;
  const alias = parseCorrelation(c);
  if (over === null && c.acceptWord('OVER')) over = parseWindowReference(c);
  return { over, correlation: alias };
}

function parseCorrelation(c: TokenCursor): Correlation | null {
  const start = c.peek();
  const alias = parseAlias(c);
  if (alias === null) return null;
  const columns = c.isOperator('(') ? c.identifierList('a column name') : [];
  return correlation({ alias, columns, span: c.spanFrom(start) });
}
