/**
 * Queries: set operations over SELECT, VALUES and parenthesised queries, then ORDER BY; the
 * SELECT clauses in their order (list, FROM, WHERE, GROUP BY, WINDOWED BY, HAVING, WINDOW).
 */
import {
  expressionItem,
  orderBy,
  select,
  setOperation,
  starItem,
  values,
  type Expression,
  type Identifier,
  type OrderBy,
  type Query,
  type SelectItem,
} from './ast.js';
import { parseExpression } from './parse-expression.js';
import { parseFromList } from './parse-from.js';
import { parseOrderItem, parseStagger, parseWindowClause } from './parse-window.js';
import type { TokenCursor } from './token-cursor.js';

export function parseQuery(c: TokenCursor): Query {
  return c.nested(() => {
    const start = c.peek();
    let left = parseQueryTerm(c);
    for (;;) {
      const operator = c.isWord('UNION') ? 'UNION' : c.isWord('EXCEPT') ? 'EXCEPT' : null;
      if (operator === null) break;
      c.next();
      const all = setQuantifier(c);
      const right = parseQueryTerm(c);
      left = setOperation({ operator, all, left, right, orderBy: null, span: c.spanFrom(start) });
    }
    if (!c.isWord('ORDER')) return left;
    const order = parseOrderBy(c);
    if (left.kind === 'values') return c.error('ORDER BY cannot follow VALUES', order.span);
    if (left.orderBy !== null) return c.error('a query cannot have two ORDER BY clauses', order.span);
    return { ...left, orderBy: order, span: c.spanFrom(start) };
  });
}

function setQuantifier(c: TokenCursor): boolean {
  if (c.acceptWord('ALL')) return true;
  c.acceptWord('DISTINCT');
  return false;
}

function parseQueryTerm(c: TokenCursor): Query {
  const start = c.peek();
  let left = parseQueryPrimary(c);
  while (c.acceptWord('INTERSECT')) {
    const all = setQuantifier(c);
    const right = parseQueryPrimary(c);
    left = setOperation({ operator: 'INTERSECT', all, left, right, orderBy: null, span: c.spanFrom(start) });
  }
  return left;
}

function parseQueryPrimary(c: TokenCursor): Query {
  if (c.isWord('SELECT')) return parseSelect(c);
  if (c.isWord('VALUES')) return parseValues(c);
  if (c.acceptOperator('(')) {
    const query = parseQuery(c);
    c.expectOperator(')');
    return query;
  }
  return c.fail("SELECT, VALUES or '('");
}

function parseValues(c: TokenCursor): Query {
  const start = c.next();
  const rows = c.list(() => {
    c.expectOperator('(');
    const row = c.list(() => parseExpression(c));
    c.expectOperator(')');
    return row;
  });
  return values(rows, c.spanFrom(start));
}

function parseOrderBy(c: TokenCursor): OrderBy {
  const start = c.expectWord('ORDER');
  c.expectWord('BY');
  const items = c.list(() => parseOrderItem(c));
  const within = c.acceptWord('WITHIN') ? parseExpression(c) : null;
  return orderBy({ items, within, span: c.spanFrom(start) });
}

function parseSelect(c: TokenCursor): Query {
  const start = c.expectWord('SELECT');
  const stream = c.acceptWord('STREAM') !== null;
  const quantifier = c.acceptWord('DISTINCT') ? 'DISTINCT' : c.acceptWord('ALL') ? 'ALL' : null;
  const items = c.list(() => parseSelectItem(c));
  const from = c.acceptWord('FROM') ? parseFromList(c) : [];
  const where = c.acceptWord('WHERE') ? parseExpression(c) : null;
  let groupBy: Expression[] = [];
  if (c.acceptWord('GROUP')) {
    c.expectWord('BY');
    groupBy = c.list(() => parseExpression(c));
  }
  let windowedBy = null;
  if (c.acceptWord('WINDOWED')) {
    c.expectWord('BY');
    windowedBy = parseStagger(c);
  }
  const having = c.acceptWord('HAVING') ? parseExpression(c) : null;
  const windows = c.acceptWord('WINDOW') ? parseWindowClause(c) : [];
  const span = c.spanFrom(start);
  return select({
    stream,
    quantifier,
    items,
    from,
    where,
    groupBy,
    windowedBy,
    having,
    windows,
    orderBy: null,
    span,
  });
}

function parseSelectItem(c: TokenCursor): SelectItem {
  const start = c.peek();
  if (c.acceptOperator('*')) return starItem([], start.span);
  if (isQualifiedStar(c)) {
    const qualifier: Identifier[] = [];
    do qualifier.push(c.identifier('a name', qualifier.length > 0));
    while (c.acceptOperator('.') && !c.isOperator('*'));
    c.expectOperator('*');
    return starItem(qualifier, c.spanFrom(start));
  }
  const expression = parseExpression(c);
  const alias = parseAlias(c);
  return expressionItem({ expression, alias, span: c.spanFrom(start) });
}

/** `a.*` or `a.b.*` ahead? */
function isQualifiedStar(c: TokenCursor): boolean {
  for (let ahead = 0; c.isIdentifier(ahead) || (ahead > 0 && c.peek(ahead).kind === 'word'); ahead += 2) {
    if (!c.isOperator('.', ahead + 1)) return false;
    if (c.isOperator('*', ahead + 2)) return true;
  }
  return false;
}

/** `[AS] alias`; without AS only a name that is not a reserved word. */
export function parseAlias(c: TokenCursor): Identifier | null {
  if (c.acceptWord('AS')) return c.identifier('an alias', false);
  return c.isIdentifier() ? c.identifier('an alias') : null;
}
