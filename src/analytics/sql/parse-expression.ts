/**
 * Expressions by precedence climbing. Levels, loosest first: OR, AND, NOT, predicates
 * (comparisons, IS, BETWEEN, LIKE, SIMILAR TO, IN; left-associative), + and -, * / and ||
 * (as in Calcite, || binds like *), unary + and -, then primaries (parse-primary.ts).
 * `precedenceOf` gives the same levels to the printer.
 */
import {
  between,
  binary,
  inList,
  inQuery,
  isDistinctFrom,
  isTest,
  like,
  unary,
  type BinaryOperator,
  type Expression,
} from './ast.js';
import { parsePrimary } from './parse-primary.js';
import { parseQuery } from './parse-query.js';
import type { TokenCursor } from './token-cursor.js';

export const precedence = {
  or: 1,
  and: 2,
  not: 3,
  predicate: 4,
  additive: 5,
  multiplicative: 6,
  unary: 7,
  primary: 8,
} as const;

export function parseExpression(c: TokenCursor): Expression {
  return c.nested(() => parseOr(c));
}

/** An expression of at least the given level: a BETWEEN bound or a POSITION needle. */
export function parseExpressionAbove(c: TokenCursor, level: number): Expression {
  return c.nested(() => (level <= precedence.predicate ? parsePredicate(c) : parseAdditive(c)));
}

function parseOr(c: TokenCursor): Expression {
  const start = c.peek();
  let left = parseAnd(c);
  while (c.acceptWord('OR')) {
    left = binary({ operator: 'OR', left, right: parseAnd(c), span: c.spanFrom(start) });
  }
  return left;
}

function parseAnd(c: TokenCursor): Expression {
  const start = c.peek();
  let left = parseNot(c);
  while (c.acceptWord('AND')) {
    left = binary({ operator: 'AND', left, right: parseNot(c), span: c.spanFrom(start) });
  }
  return left;
}

function parseNot(c: TokenCursor): Expression {
  const start = c.peek();
  if (!c.acceptWord('NOT')) return parsePredicate(c);
  const operand = c.nested(() => parseNot(c));
  return unary({ operator: 'NOT', operand, span: c.spanFrom(start) });
}

const comparisons: Readonly<Record<string, BinaryOperator>> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const negatable = ['BETWEEN', 'LIKE', 'SIMILAR', 'IN'];

function parsePredicate(c: TokenCursor): Expression {
  const start = c.peek();
  let left = parseAdditive(c);
  for (;;) {
    const token = c.peek();
    const comparison = token.kind === 'operator' ? comparisons[token.value] : undefined;
    if (comparison !== undefined) {
      c.next();
      left = binary({ operator: comparison, left, right: parseAdditive(c), span: c.spanFrom(start) });
      continue;
    }
    if (c.acceptWord('IS')) {
      left = parseIs(c, left, start);
      continue;
    }
    const negated = c.isWord('NOT') && negatable.some((word) => c.isWord(word, 1));
    if (negated) c.next();
    const operand = left;
    if (c.acceptWord('BETWEEN')) {
      const low = parseAdditive(c);
      c.expectWord('AND');
      const high = parseAdditive(c);
      left = between({ operand, low, high, negated, span: c.spanFrom(start) });
    } else if (c.isWord('LIKE') || c.isWord('SIMILAR')) {
      const operator = c.next().value === 'LIKE' ? 'LIKE' : 'SIMILAR TO';
      if (operator === 'SIMILAR TO') c.expectWord('TO');
      const pattern = parseAdditive(c);
      const escape = c.acceptWord('ESCAPE') ? parseAdditive(c) : null;
      left = like({ operator, operand, pattern, escape, negated, span: c.spanFrom(start) });
    } else if (c.acceptWord('IN')) {
      left = parseIn(c, operand, negated, start);
    } else {
      return left;
    }
  }
}

function parseIs(c: TokenCursor, operand: Expression, start: ReturnType<TokenCursor['peek']>): Expression {
  const negated = c.acceptWord('NOT') !== null;
  if (c.acceptWord('DISTINCT')) {
    c.expectWord('FROM');
    return isDistinctFrom({ left: operand, right: parseAdditive(c), negated, span: c.spanFrom(start) });
  }
  for (const test of ['NULL', 'TRUE', 'FALSE', 'UNKNOWN'] as const) {
    if (c.acceptWord(test)) return isTest({ operand, negated, test, span: c.spanFrom(start) });
  }
  return c.fail('NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS');
}

function parseIn(
  c: TokenCursor,
  operand: Expression,
  negated: boolean,
  start: ReturnType<TokenCursor['peek']>,
): Expression {
  c.expectOperator('(');
  if (c.isWord('SELECT') || c.isWord('VALUES')) {
    const query = parseQuery(c);
    c.expectOperator(')');
    return inQuery({ operand, query, negated, span: c.spanFrom(start) });
  }
  const list = c.list(() => parseExpression(c));
  c.expectOperator(')');
  return inList({ operand, list, negated, span: c.spanFrom(start) });
}

function parseAdditive(c: TokenCursor): Expression {
  const start = c.peek();
  let left = parseMultiplicative(c);
  for (;;) {
    const operator = c.isOperator('+') ? '+' : c.isOperator('-') ? '-' : null;
    if (operator === null) return left;
    c.next();
    left = binary({ operator, left, right: parseMultiplicative(c), span: c.spanFrom(start) });
  }
}

function parseMultiplicative(c: TokenCursor): Expression {
  const start = c.peek();
  let left = parseUnary(c);
  for (;;) {
    const operator = c.isOperator('*') ? '*' : c.isOperator('/') ? '/' : c.isOperator('||') ? '||' : null;
    if (operator === null) return left;
    c.next();
    left = binary({ operator, left, right: parseUnary(c), span: c.spanFrom(start) });
  }
}

function parseUnary(c: TokenCursor): Expression {
  const start = c.peek();
  const operator = c.isOperator('-') ? '-' : c.isOperator('+') ? '+' : null;
  if (operator === null) return parsePrimary(c);
  c.next();
  const operand = c.nested(() => parseUnary(c));
  return unary({ operator, operand, span: c.spanFrom(start) });
}
