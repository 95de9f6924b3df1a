/**
 * `CREATE [OR REPLACE] FUNCTION` (CREATE and OR REPLACE already taken): a SQL-bodied scalar
 * function. Its characteristics may come in any order, each at most once.
 */
import { createFunction, functionParameter, type CreateFunction, type Identifier } from './ast.js';
import type { Token } from './lexer.js';
import { parseExpression } from './parse-expression.js';
import { parseDataType } from './parse-type.js';
import type { TokenCursor } from './token-cursor.js';

type Characteristics = Pick<
  CreateFunction,
  'language' | 'specific' | 'deterministic' | 'dataAccess' | 'nullCall'
>;

const characteristicNames: Readonly<Record<keyof Characteristics, string>> = {
  language: 'LANGUAGE',
  specific: 'SPECIFIC',
  deterministic: '[NOT] DETERMINISTIC',
  dataAccess: 'the SQL data access (CONTAINS SQL, READS SQL DATA, MODIFIES SQL DATA or NO SQL)',
  nullCall: 'RETURNS NULL ON NULL INPUT or CALLED ON NULL INPUT',
};

export function parseCreateFunction(c: TokenCursor, start: Token, orReplace: boolean): CreateFunction {
  c.expectWord('FUNCTION');
  const name = c.qualifiedName('a function name');
  c.expectOperator('(');
  const parameters = c.isOperator(')')
    ? []
    : c.list(() => {
        const parameterStart = c.peek();
        const parameterName = c.identifier('a parameter name');
        const type = parseDataType(c);
        return functionParameter({ name: parameterName, type, span: c.spanFrom(parameterStart) });
      });
  c.expectOperator(')');
  c.expectWord('RETURNS');
  const returns = parseDataType(c);
  const characteristics = parseCharacteristics(c);
  c.expectWord('RETURN');
  const body = parseExpression(c);
  return createFunction({
    orReplace,
    name,
    parameters,
    returns,
    ...characteristics,
    body,
    span: c.spanFrom(start),
  });
}

function parseCharacteristics(c: TokenCursor): Characteristics {
  const found: { -readonly [K in keyof Characteristics]: Characteristics[K] } = {
    language: null,
    specific: null,
    deterministic: null,
    dataAccess: null,
    nullCall: null,
  };
  const once = <K extends keyof Characteristics>(key: K, at: Token, value: Characteristics[K]): void => {
    if (found[key] !== null) c.error(`${characteristicNames[key]} is given twice`, at);
    found[key] = value;
  };
  for (;;) {
    const at = c.peek();
    if (c.acceptWord('LANGUAGE')) {
      if (!c.isWord('SQL')) c.fail('SQL (functions are written in SQL)');
      c.next();
      once('language', at, 'SQL');
    } else if (c.acceptWord('SPECIFIC')) {
      once('specific', at, c.qualifiedName('a specific name') as Identifier[]);
    } else if (c.isWord('DETERMINISTIC') || (c.isWord('NOT') && c.isWord('DETERMINISTIC', 1))) {
      const negated = c.next().value === 'NOT';
      if (negated) c.next();
      once('deterministic', at, !negated);
    } else if (c.acceptWord('CONTAINS')) {
      c.expectWord('SQL');
      once('dataAccess', at, 'CONTAINS SQL');
    } else if (c.isWord('READS') || c.isWord('MODIFIES')) {
      const reads = c.next().value === 'READS';
      c.expectWord('SQL');
      c.expectWord('DATA');
      once('dataAccess', at, reads ? 'READS SQL DATA' : 'MODIFIES SQL DATA');
    } else if (c.isWord('NO') && c.isWord('SQL', 1)) {
      c.next();
      c.next();
      once('dataAccess', at, 'NO SQL');
    } else if (c.isWord('RETURNS') || c.isWord('CALLED')) {
      const returnsNull = c.next().value === 'RETURNS';
      if (returnsNull) c.expectWord('NULL');
      for (const word of ['ON', 'NULL', 'INPUT']) c.expectWord(word);
      once('nullCall', at, returnsNull ? 'RETURNS NULL ON NULL INPUT' : 'CALLED ON NULL INPUT');
    } else {
      return found;
    }
  }
}
