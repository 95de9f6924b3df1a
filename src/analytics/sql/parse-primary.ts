/**
 * Primary expressions: literals, names, calls (with DISTINCT, `*`, IGNORE NULLS and OVER), CASE,
 * the special-syntax functions, CURSOR, EXISTS, subqueries and `(expr) qualifier`.
 */
import {
  call,
  caseExpression,
  cast,
  columnReference,
  cursor,
  datetimeLiteral,
  exists,
  extract,
  intervalLiteral,
  intervalQualified,
  literal,
  overlay,
  position,
  scalarQuery,
  step,
  substring,
  timeFloor,
  trim,
  whenClause,
  type Call,
  type Expression,
  type Identifier,
} from './ast.js';
import { niladicFunctions, isTimeUnit } from './keywords.js';
import type { Token } from './lexer.js';
import { decodeUnicodeString } from './unicode-string.js';
import { parseExpression, parseExpressionAbove, precedence } from './parse-expression.js';
import { parseQuery } from './parse-query.js';
import { isAtTimeUnit, parseDataType, parseIntervalQualifier, timeUnitExpected } from './parse-type.js';
import { parseWindowReference } from './parse-window.js';
import type { TokenCursor } from './token-cursor.js';

export function parsePrimary(c: TokenCursor): Expression {
  const token = c.peek();
  switch (token.kind) {
    case 'integer':
    case 'decimal':
    case 'approximate':
      c.next();
      return literal({ type: token.kind, value: token.value, span: token.span });
    case 'string':
      c.next();
      return literal({ type: 'string', value: token.value, span: token.span });
    case 'unicodeString':
      return parseUnicodeString(c);
    case 'binaryString':
      c.next();
      return literal({ type: 'binary', value: token.value, span: token.span });
    case 'operator':
      if (token.value === '(') return parseParenthesised(c);
      return c.fail('an expression');
    case 'quotedIdentifier':
      return parseNameOrCall(c);
    case 'word':
      return parseWord(c, token);
    case 'eof':
      return c.fail('an expression');
  }
}

function parseWord(c: TokenCursor, token: Token): Expression {
  const word = token.value;
  const next = c.peek(1);
  switch (word) {
    case 'TRUE':
    case 'FALSE':
      c.next();
      return literal({ type: 'boolean', value: word, span: token.span });
    case 'NULL':
    case 'UNKNOWN':
      c.next();
      return literal({ type: word === 'NULL' ? 'null' : 'unknown', value: word, span: token.span });
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME': {
      c.next();
      const text = c.peek();
      if (text.kind !== 'string') {
        return c.fail(`a string after ${word} (a ${word} literal; quote "${word}" to name a column)`);
      }
      c.next();
      return datetimeLiteral({ type: word, value: text.value, span: c.spanFrom(token) });
    }
    case 'INTERVAL':
      return parseIntervalLiteral(c);
    case 'CASE':
      return parseCase(c);
    case 'CAST':
      return parseCast(c);
    case 'CURSOR':
    case 'EXISTS': {
      c.next();
      c.expectOperator('(');
      const query = parseQuery(c);
      c.expectOperator(')');
      return word === 'CURSOR' ? cursor(query, c.spanFrom(token)) : exists(query, c.spanFrom(token));
    }
  }
  if (next.kind === 'operator' && next.value === '(') {
    const special = specialFunctions[word];
    if (special !== undefined) return special(c, token);
  } else if (niladicFunctions.has(word)) {
    c.next();
    return bareCall(word, token);
  }
  if (!c.isIdentifier()) return c.fail('an expression');
  return parseNameOrCall(c);
}

function bareCall(word: string, token: Token): Call {
  const name = [{ kind: 'identifier', name: word, span: token.span } as const];
  const fields = { quantifier: null, star: false, args: [], from: null, nullTreatment: null, over: null };
  return call({ name, ...fields, bare: true, span: token.span });
}

/** `name`, `a.b.c`, or a call `name(...)` / `schema.name(...)`. */
function parseNameOrCall(c: TokenCursor): Expression {
  const start = c.peek();
  const parts = c.qualifiedName('a name');
  if (!c.isOperator('(')) return columnReference(parts, c.spanFrom(start));
  return parseCallArguments(c, parts, start);
}

function parseCallArguments(c: TokenCursor, name: readonly Identifier[], start: Token): Call {
  c.expectOperator('(');
  let quantifier: Call['quantifier'] = null;
  let star = false;
  let args: Expression[] = [];
  if (c.acceptOperator('*')) {
    star = true;
  } else if (!c.isOperator(')')) {
    quantifier = c.acceptWord('DISTINCT') ? 'DISTINCT' : c.acceptWord('ALL') ? 'ALL' : null;
    args = c.list(() => parseExpression(c));
  }
  c.expectOperator(')');
  let from: Call['from'] = null;
  if (isNthValueFrom(c, name)) {
    c.next();
    from = c.next().value === 'FIRST' ? 'FIRST' : 'LAST';
  }
  let nullTreatment: Call['nullTreatment'] = null;
  if ((c.isWord('IGNORE') || c.isWord('RESPECT')) && c.isWord('NULLS', 1)) {
    nullTreatment = c.next().value === 'IGNORE' ? 'IGNORE NULLS' : 'RESPECT NULLS';
    c.next();
  }
  const over = c.acceptWord('OVER') ? parseWindowReference(c) : null;
  return call({
    name,
    quantifier,
    star,
    args,
    from,
    nullTreatment,
    over,
    bare: false,
    span: c.spanFrom(start),
  });
}

/**
 * `NTH_VALUE(...) FROM FIRST|LAST` needs OVER (or a null treatment) after it, which tells it
 * apart from a select list ending before `FROM first` (a stream named FIRST).
 */
function isNthValueFrom(c: TokenCursor, name: readonly Identifier[]): boolean {
  if (name.length !== 1 || name[0]!.name !== 'NTH_VALUE' || !c.isWord('FROM')) return false;
  if (!c.isWord('FIRST', 1) && !c.isWord('LAST', 1)) return false;
  return c.isWord('OVER', 2) || c.isWord('IGNORE', 2) || c.isWord('RESPECT', 2);
}

function parseParenthesised(c: TokenCursor): Expression {
  const start = c.next();
  if (c.isWord('SELECT') || c.isWord('VALUES')) {
    const query = parseQuery(c);
    c.expectOperator(')');
    return scalarQuery(query, c.spanFrom(start));
  }
  const operand = parseExpression(c);
  c.expectOperator(')');
  if (!isAtTimeUnit(c)) return operand;
  const qualifier = parseIntervalQualifier(c);
  return intervalQualified({ operand, qualifier, span: c.spanFrom(start) });
}

function parseUnicodeString(c: TokenCursor): Expression {
  const token = c.next();
  let escape = '\\';
  if (c.acceptWord('UESCAPE')) {
    const text = c.peek();
    if (text.kind !== 'string' || [...text.value].length !== 1)
      return c.fail('a one-character string after UESCAPE');
    c.next();
    escape = text.value;
  }
  const decoded = decodeUnicodeString(token.value, escape);
  if (typeof decoded !== 'string') return c.error(decoded.error, token);
  return literal({ type: 'string', value: decoded, span: c.spanFrom(token) });
}

function parseIntervalLiteral(c: TokenCursor): Expression {
  const start = c.next();
  const negative = c.acceptOperator('-') !== null;
  if (!negative) c.acceptOperator('+');
  const text = c.peek();
  if (text.kind !== 'string') return c.fail("a string after INTERVAL (as in INTERVAL '1' MINUTE)");
  c.next();
  const qualifier = parseIntervalQualifier(c);
  return intervalLiteral({ negative, value: text.value, qualifier, span: c.spanFrom(start) });
}

function parseCase(c: TokenCursor): Expression {
  const start = c.next();
  const operand = c.isWord('WHEN') ? null : parseExpression(c);
  const whens = [];
  while (c.isWord('WHEN')) {
    const whenStart = c.next();
    const when = parseExpression(c);
    c.expectWord('THEN');
    whens.push(whenClause({ when, then: parseExpression(c), span: c.spanFrom(whenStart) }));
  }
  if (whens.length === 0) return c.fail('WHEN');
  const otherwise = c.acceptWord('ELSE') ? parseExpression(c) : null;
  c.expectWord('END');
  return caseExpression({ operand, whens, else: otherwise, span: c.spanFrom(start) });
}

function parseCast(c: TokenCursor): Expression {
  const start = c.next();
  c.expectOperator('(');
  const operand = parseExpression(c);
  c.expectWord('AS');
  const type = parseDataType(c);
  c.expectOperator(')');
  return cast({ operand, type, span: c.spanFrom(start) });
}

type SpecialParser = (c: TokenCursor, start: Token) => Expression;

/** Functions with keywords inside their parentheses; each falls back to a plain call if it can. */
const specialFunctions: Readonly<Record<string, SpecialParser>> = {
  EXTRACT: (c, start) => {
    c.next();
    c.expectOperator('(');
    const unit = c.peek();
    if (unit.kind !== 'word' || !isTimeUnit(unit.value)) return c.fail(timeUnitExpected);
    c.next();
    c.expectWord('FROM');
    const operand = parseExpression(c);
    c.expectOperator(')');
    return extract({ field: unit.value, operand, span: c.spanFrom(start) });
  },
  FLOOR: (c, start) => parseFloorOrCeil(c, start, 'FLOOR'),
  CEIL: (c, start) => parseFloorOrCeil(c, start, 'CEIL'),
  CEILING: (c, start) => parseFloorOrCeil(c, start, 'CEIL'),
  STEP: (c, start) =>
    withKeyword(c, start, 'BY', (operand) =>
      step({ operand, by: parseExpression(c), span: c.spanFrom(start) }),
    ),
  SUBSTRING: (c, start) =>
    withKeyword(c, start, 'FROM', (operand) => {
      const from = parseExpression(c);
      const length = c.acceptWord('FOR') ? parseExpression(c) : null;
      return substring({ operand, from, for: length, span: c.spanFrom(start) });
    }),
  POSITION: (c, start) => {
    c.next();
    c.expectOperator('(');
    const needle = parseExpressionAbove(c, precedence.additive);
    c.expectWord('IN');
    const haystack = parseExpression(c);
    c.expectOperator(')');
    return position({ needle, haystack, span: c.spanFrom(start) });
  },
  OVERLAY: (c, start) => {
    c.next();
    c.expectOperator('(');
    const operand = parseExpression(c);
    c.expectWord('PLACING');
    const placing = parseExpression(c);
    c.expectWord('FROM');
    const from = parseExpression(c);
    const length = c.acceptWord('FOR') ? parseExpression(c) : null;
    c.expectOperator(')');
    return overlay({ operand, placing, from, for: length, span: c.spanFrom(start) });
  },
  TRIM: (c, start) => {
    c.next();
    c.expectOperator('(');
    const sideWord = ['BOTH', 'LEADING', 'TRAILING'].find((word) => c.isWord(word));
    const side = sideWord === undefined ? null : (c.next().value as 'BOTH' | 'LEADING' | 'TRAILING');
    let characters = c.isWord('FROM') ? null : parseExpression(c);
    let operand: Expression;
    if (c.acceptWord('FROM')) {
      operand = parseExpression(c);
    } else if (side === null && characters !== null) {
      [operand, characters] = [characters, null];
    } else {
      return c.fail('FROM');
    }
    c.expectOperator(')');
    return trim({ side, characters, operand, span: c.spanFrom(start) });
  },
};

function parseFloorOrCeil(c: TokenCursor, start: Token, fn: 'FLOOR' | 'CEIL'): Expression {
  return withKeyword(c, start, 'TO', (operand) => {
    const unit = c.peek();
    if (unit.kind !== 'word' || !isTimeUnit(unit.value)) return c.fail(timeUnitExpected);
    c.next();
    return timeFloor({ function: fn, operand, unit: unit.value, span: c.spanFrom(start) });
  });
}

/**
 * `NAME(operand KEYWORD ...)`: if the keyword follows the first argument, `rest` parses the
 * remainder; otherwise the parentheses hold an ordinary argument list and this is a plain call.
 */
function withKeyword(
  c: TokenCursor,
  start: Token,
  keyword: string,
  rest: (operand: Expression) => Expression,
): Expression {
  const name = [{ kind: 'identifier', name: start.value, span: start.span } as const];
  c.next();
  c.expectOperator('(');
  if (c.isOperator(')') || c.isWord('DISTINCT') || c.isWord('ALL') || c.isOperator('*')) {
    return c.fail('an expression');
  }
  const operand = parseExpression(c);
  if (c.acceptWord(keyword)) {
    const result = rest(operand);
    c.expectOperator(')');
    return { ...result, span: c.spanFrom(start) };
  }
  const args = [operand];
  while (c.acceptOperator(',')) args.push(parseExpression(c));
  c.expectOperator(')');
  const fields = { quantifier: null, star: false, from: null, nullTreatment: null, bare: false };
  const over = c.acceptWord('OVER') ? parseWindowReference(c) : null;
  return call({ name, ...fields, args, over, span: c.spanFrom(start) });
}
