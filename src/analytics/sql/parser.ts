/**
 * Parser entry points: a whole application code text (statements separated by `;`, the last one
 * optional) into a `Script`, by recursive descent over the lexer's tokens. Every error is a
 * `SqlSyntaxError` naming the line and column, and what was expected against what was found.
 * Nesting is bounded (sqlLimits.nestingDepthMax) and so is the input (sourceCharsMax).
 */
import {
  columnDefinition,
  createPump,
  createStream,
  createView,
  insert,
  queryStatement,
  script,
  type Expression,
  type Insert,
  type Script,
  type Statement,
} from './ast.js';
import { unsupportedStatementWords } from './keywords.js';
import { tokenize } from './lexer.js';
import { parseExpression as parseExpressionTokens } from './parse-expression.js';
import { parseCreateFunction } from './parse-function.js';
import { parseQuery } from './parse-query.js';
import { parseDataType } from './parse-type.js';
import { TokenCursor } from './token-cursor.js';

export function parseScript(source: string): Script {
  const c = new TokenCursor(tokenize(source));
  const start = c.peek();
  const statements: Statement[] = [];
  for (;;) {
    while (c.acceptOperator(';'));
    if (c.peek().kind === 'eof') break;
    statements.push(parseStatement(c));
    if (c.peek().kind !== 'eof') c.expectOperator(';');
  }
  return script(statements, c.spanFrom(start));
}

/** One expression and nothing else (tests, tools). */
export function parseExpression(source: string): Expression {
  const c = new TokenCursor(tokenize(source));
  const expression = parseExpressionTokens(c);
  if (c.peek().kind !== 'eof') c.fail('end of input');
  return expression;
}

function parseStatement(c: TokenCursor): Statement {
  const start = c.peek();
  if (c.isWord('SELECT') || c.isWord('VALUES') || c.isOperator('(')) {
    return queryStatement(parseQuery(c), c.spanFrom(start));
  }
  if (c.isWord('INSERT')) return parseInsert(c);
  if (c.isWord('CREATE')) return parseCreate(c);
  if (start.kind === 'word' && unsupportedStatementWords.has(start.value)) {
    return c.error(
      `${start.value} statements are not supported: application code holds CREATE STREAM, PUMP, VIEW and FUNCTION, INSERT and SELECT statements`,
    );
  }
  return c.fail('a statement (CREATE, INSERT or SELECT)');
}

function parseCreate(c: TokenCursor): Statement {
  const start = c.next();
  let orReplace = false;
  if (c.acceptWord('OR')) {
    c.expectWord('REPLACE');
    orReplace = true;
  }
  if (c.isWord('RENAME')) {
    return c.error('RENAME is documented for CREATE OR REPLACE without a grammar, and is not supported');
  }
  const what = c.peek();
  if (c.isWord('FUNCTION')) return parseCreateFunction(c, start, orReplace);
  if (c.acceptWord('STREAM')) {
    const name = c.qualifiedName('a stream name');
    c.expectOperator('(');
    const columns = c.list(() => {
      const columnStart = c.peek();
      const columnName = c.identifier('a column name');
      const type = parseDataType(c);
      const notNull = c.acceptWord('NOT') !== null;
      if (notNull) c.expectWord('NULL');
      return columnDefinition({ name: columnName, type, notNull, span: c.spanFrom(columnStart) });
    });
    c.expectOperator(')');
    if (c.isWord('OPTIONS')) {
      return c.error('OPTIONS belong to SQLstream foreign streams; an in-application stream takes none');
    }
    const description = parseDescription(c);
    return createStream({ orReplace, name, columns, description, span: c.spanFrom(start) });
  }
  if (c.acceptWord('PUMP')) {
    const name = c.qualifiedName('a pump name');
    const description = parseDescription(c);
    c.expectWord('AS');
    if (!c.isWord('INSERT')) c.fail('INSERT (a pump is CREATE PUMP name AS INSERT INTO stream SELECT ...)');
    const body = parseInsert(c);
    return createPump({ orReplace, name, description, insert: body, span: c.spanFrom(start) });
  }
  if (c.acceptWord('VIEW')) {
    const name = c.qualifiedName('a view name');
    const columns = c.isOperator('(') ? c.identifierList('a column name') : null;
    const description = parseDescription(c);
    c.expectWord('AS');
    const query = parseQuery(c);
    return createView({ orReplace, name, columns, description, query, span: c.spanFrom(start) });
  }
  if (what.kind === 'word' && ['FOREIGN', 'SERVER', 'TABLE', 'SCHEMA'].includes(what.value)) {
    return c.error(
      `CREATE ${what.value} is not supported: application code creates streams, pumps, views and functions`,
    );
  }
  return c.fail('STREAM, PUMP, VIEW or FUNCTION after CREATE');
}

function parseDescription(c: TokenCursor): string | null {
  if (!c.acceptWord('DESCRIPTION')) return null;
  const text = c.peek();
  if (text.kind !== 'string') return c.fail('a string after DESCRIPTION');
  c.next();
  return text.value;
}

function parseInsert(c: TokenCursor): Insert {
  const start = c.expectWord('INSERT');
  const expedited = c.acceptWord('EXPEDITED') !== null;
  c.expectWord('INTO');
  const target = c.qualifiedName('a stream name');
  let columns = null;
  if (c.isOperator('(') && !(c.isWord('SELECT', 1) || c.isWord('VALUES', 1) || c.isOperator('(', 1))) {
    columns = c.identifierList('a column name');
  }
  const query = parseQuery(c);
  return insert({ expedited, target, columns, query, span: c.spanFrom(start) });
}
