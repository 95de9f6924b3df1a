/** Window references after OVER, the WINDOW clause, and WINDOWED BY STAGGER. */
import {
  frame,
  frameBound,
  namedWindow,
  orderItem,
  stagger,
  windowName,
  windowSpecification,
  type Frame,
  type FrameBound,
  type NamedWindow,
  type OrderItem,
  type Stagger,
  type WindowReference,
  type WindowSpecification,
} from './ast.js';
import { parseExpression } from './parse-expression.js';
import { oneOf, type TokenCursor } from './token-cursor.js';

/** After OVER: `w` or `(spec)`. */
export function parseWindowReference(c: TokenCursor): WindowReference {
  if (c.isOperator('(')) return parseWindowSpecification(c);
  const start = c.peek();
  const name = c.identifier("a window name or '('");
  return windowName(name, c.spanFrom(start));
}

/** `( [PARTITION BY e, ...] [ORDER BY o, ...] [RANGE | ROWS ...] )`. */
export function parseWindowSpecification(c: TokenCursor): WindowSpecification {
  const start = c.expectOperator('(');
  const partitionBy = c.acceptWord('PARTITION') ? byList(c, () => parseExpression(c)) : [];
  const orderBy = c.acceptWord('ORDER') ? byList(c, () => parseOrderItem(c)) : [];
  const unit = c.isWord('RANGE') || c.isWord('ROWS') ? parseFrame(c) : null;
  if (!c.isOperator(')')) {
    const expected = [
      partitionBy.length === 0 && orderBy.length === 0 ? 'PARTITION BY' : null,
      orderBy.length === 0 ? 'ORDER BY' : null,
      unit === null ? 'RANGE, ROWS' : null,
    ].filter((word) => word !== null);
    c.fail(oneOf([...expected, "')'"]));
  }
  c.next();
  return windowSpecification({ partitionBy, orderBy, frame: unit, span: c.spanFrom(start) });
}

function byList<T>(c: TokenCursor, item: () => T): T[] {
  c.expectWord('BY');
  return c.list(item);
}

export function parseOrderItem(c: TokenCursor): OrderItem {
  const start = c.peek();
  const expression = parseExpression(c);
  const direction = c.acceptWord('ASC') ? 'ASC' : c.acceptWord('DESC') ? 'DESC' : null;
  return orderItem({ expression, direction, span: c.spanFrom(start) });
}

function parseFrame(c: TokenCursor): Frame {
  const start = c.next();
  const unit = start.value === 'RANGE' ? 'RANGE' : 'ROWS';
  if (!c.acceptWord('BETWEEN')) {
    return frame({ unit, start: parseFrameBound(c), end: null, span: c.spanFrom(start) });
  }
  const lower = parseFrameBound(c);
  c.expectWord('AND');
  const upper = parseFrameBound(c);
  return frame({ unit, start: lower, end: upper, span: c.spanFrom(start) });
}

function parseFrameBound(c: TokenCursor): FrameBound {
  const start = c.peek();
  if (c.acceptWord('CURRENT')) {
    c.expectWord('ROW');
    return frameBound({ bound: 'CURRENT ROW', extent: null, span: c.spanFrom(start) });
  }
  if (c.isWord('UNBOUNDED') && (c.isWord('PRECEDING', 1) || c.isWord('FOLLOWING', 1))) {
    c.next();
    const bound = c.next().value === 'PRECEDING' ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING';
    return frameBound({ bound, extent: null, span: c.spanFrom(start) });
  }
  const extent = parseExpression(c);
  if (c.acceptWord('PRECEDING')) return frameBound({ bound: 'PRECEDING', extent, span: c.spanFrom(start) });
  if (c.acceptWord('FOLLOWING')) return frameBound({ bound: 'FOLLOWING', extent, span: c.spanFrom(start) });
  return c.fail('PRECEDING or FOLLOWING');
}

/** `WINDOW w AS (spec), ...` (WINDOW already taken). */
export function parseWindowClause(c: TokenCursor): NamedWindow[] {
  return c.list(() => {
    const start = c.peek();
    const name = c.identifier('a window name');
    c.expectWord('AS');
    const specification = parseWindowSpecification(c);
    return namedWindow({ name, specification, span: c.spanFrom(start) });
  });
}

/** `STAGGER (PARTITION BY k, ... RANGE INTERVAL 'n' unit)` (WINDOWED BY already taken). */
export function parseStagger(c: TokenCursor): Stagger {
  const start = c.expectWord('STAGGER');
  c.expectOperator('(');
  c.expectWord('PARTITION');
  const partitionBy = byList(c, () => parseExpression(c));
  c.expectWord('RANGE');
  const range = parseExpression(c);
  c.expectOperator(')');
  return stagger({ partitionBy, range, span: c.spanFrom(start) });
}
