/**
 * Prints a tree back to SQL. The output is canonical (upper-case keywords, one clause per line,
 * names quoted only when needed) and reads back to the same tree: parse(print(t)) equals t
 * without spans. Comments and the original layout are not kept.
 */
import { unreachable } from '../../core/assert.js';
import type {
  Correlation,
  FromItem,
  OrderBy,
  Query,
  Script,
  SelectItem,
  Statement,
  WindowReference,
  WindowSpecification,
  Frame,
  FrameBound,
  Select,
  Identifier,
} from './ast.js';
import {
  printDataType,
  printExpression,
  printExpressions,
  printName,
  printString,
  quoteName,
} from './print-expression.js';

export { printExpression } from './print-expression.js';

export function printScript(tree: Script): string {
  return tree.statements.map((statement) => `${printStatement(statement)};\n`).join('\n');
}

const orReplace = (flag: boolean): string => (flag ? 'OR REPLACE ' : '');
const description = (text: string | null): string =>
  text === null ? '' : ` DESCRIPTION ${printString(text)}`;
const names = (list: readonly Identifier[]): string => list.map((name) => quoteName(name.name)).join(', ');

export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'createStream': {
      const columns = statement.columns.map(
        (column) =>
          `  ${quoteName(column.name.name)} ${printDataType(column.type)}${column.notNull ? ' NOT NULL' : ''}`,
      );
      const head = `CREATE ${orReplace(statement.orReplace)}STREAM ${printName(statement.name)}`;
      return `${head} (\n${columns.join(',\n')}\n)${description(statement.description)}`;
    }
    case 'createPump': {
      const head = `CREATE ${orReplace(statement.orReplace)}PUMP ${printName(statement.name)}`;
      return `${head}${description(statement.description)} AS\n${printStatement(statement.insert)}`;
    }
    case 'createView': {
      const columns = statement.columns === null ? '' : ` (${names(statement.columns)})`;
      const head = `CREATE ${orReplace(statement.orReplace)}VIEW ${printName(statement.name)}${columns}`;
      return `${head}${description(statement.description)} AS\n${printQuery(statement.query)}`;
    }
    case 'createFunction': {
      const parameters = statement.parameters.map(
        (p) => `${quoteName(p.name.name)} ${printDataType(p.type)}`,
      );
      const lines = [
        `CREATE ${orReplace(statement.orReplace)}FUNCTION ${printName(statement.name)}(${parameters.join(', ')})`,
        `RETURNS ${printDataType(statement.returns)}`,
        statement.language === null ? null : `LANGUAGE ${statement.language}`,
        statement.specific === null ? null : `SPECIFIC ${printName(statement.specific)}`,
        statement.deterministic === null
          ? null
          : statement.deterministic
            ? 'DETERMINISTIC'
            : 'NOT DETERMINISTIC',
        statement.dataAccess,
        statement.nullCall,
        `RETURN ${printExpression(statement.body)}`,
      ];
      return lines.filter((line) => line !== null).join('\n');
    }
    case 'insert': {
      const columns = statement.columns === null ? '' : ` (${names(statement.columns)})`;
      const head = `INSERT ${statement.expedited ? 'EXPEDITED ' : ''}INTO ${printName(statement.target)}${columns}`;
      return `${head}\n${printQuery(statement.query)}`;
    }
    case 'queryStatement':
      return printQuery(statement.query);
    default:
      return unreachable(statement);
  }
}

const setLevel = { UNION: 1, EXCEPT: 1, INTERSECT: 2 } as const;

export function printQuery(query: Query): string {
  switch (query.kind) {
    case 'select':
      return printSelect(query);
    case 'values':
      return `VALUES ${query.rows.map((row) => `(${printExpressions(row)})`).join(', ')}`;
    case 'setOperation': {
      const level = setLevel[query.operator];
      const left = printSetOperand(query.left, level);
      const right = printSetOperand(query.right, level + 1);
      const body = `${left}\n${query.operator}${query.all ? ' ALL' : ''}\n${right}`;
      return body + printOrderBy(query.orderBy);
    }
    default:
      return unreachable(query);
  }
}

/** An operand of a set operation, in parentheses when it binds looser or ends in ORDER BY. */
function printSetOperand(query: Query, level: number): string {
  const loose = query.kind === 'setOperation' && setLevel[query.operator] < level;
  const ordered = query.kind !== 'values' && query.orderBy !== null;
  return loose || ordered ? `(${printQuery(query)})` : printQuery(query);
}

function printSelect(query: Select): string {
  const head = ['SELECT', query.stream ? 'STREAM' : null, query.quantifier].filter((word) => word !== null);
  const lines = [`${head.join(' ')} ${query.items.map(printSelectItem).join(', ')}`];
  if (query.from.length > 0) lines.push(`FROM ${query.from.map(printFromItem).join(', ')}`);
  if (query.where !== null) lines.push(`WHERE ${printExpression(query.where)}`);
  if (query.groupBy.length > 0) lines.push(`GROUP BY ${printExpressions(query.groupBy)}`);
  if (query.windowedBy !== null) {
    const { partitionBy, range } = query.windowedBy;
    lines.push(
      `WINDOWED BY STAGGER (PARTITION BY ${printExpressions(partitionBy)} RANGE ${printExpression(range)})`,
    );
  }
  if (query.having !== null) lines.push(`HAVING ${printExpression(query.having)}`);
  if (query.windows.length > 0) {
    const windows = query.windows.map(
      (w) => `${quoteName(w.name.name)} AS ${printWindowSpecification(w.specification)}`,
    );
    lines.push(`WINDOW ${windows.join(', ')}`);
  }
  return lines.join('\n') + printOrderBy(query.orderBy);
}

function printSelectItem(item: SelectItem): string {
  switch (item.kind) {
    case 'starItem':
      return item.qualifier.length === 0 ? '*' : `${printName(item.qualifier)}.*`;
    case 'expressionItem':
      return (
        printExpression(item.expression) + (item.alias === null ? '' : ` AS ${quoteName(item.alias.name)}`)
      );
    default:
      return unreachable(item);
  }
}

function printOrderBy(order: OrderBy | null): string {
  if (order === null) return '';
  const items = order.items.map(
    (item) => printExpression(item.expression) + (item.direction === null ? '' : ` ${item.direction}`),
  );
  return (
    `\nORDER BY ${items.join(', ')}` +
    (order.within === null ? '' : ` WITHIN ${printExpression(order.within)}`)
  );
}

function printCorrelation(correlation: Correlation | null): string {
  if (correlation === null) return '';
  const columns = correlation.columns.length === 0 ? '' : `(${names(correlation.columns)})`;
  return ` AS ${quoteName(correlation.alias.name)}${columns}`;
}

const over = (window: WindowReference | null): string =>
  window === null ? '' : ` OVER ${printWindowReference(window)}`;

function printFromItem(item: FromItem): string {
  switch (item.kind) {
    case 'namedSource':
      return printName(item.name) + over(item.over) + printCorrelation(item.correlation);
    case 'subquerySource':
      return `(${printQuery(item.query)})${over(item.over)}${printCorrelation(item.correlation)}`;
    case 'tableFunctionSource':
      return `TABLE(${printExpression(item.call)})${printCorrelation(item.correlation)}`;
    case 'join': {
      const kind = `${item.natural ? 'NATURAL ' : ''}${item.type === 'INNER' ? '' : `${item.type} `}JOIN`;
      const right = item.right.kind === 'join' ? `(${printFromItem(item.right)})` : printFromItem(item.right);
      const condition =
        item.on !== null
          ? ` ON ${printExpression(item.on)}`
          : item.using !== null
            ? ` USING (${names(item.using)})`
            : '';
      return `${printFromItem(item.left)}\n${kind} ${right}${condition}`;
    }
    default:
      return unreachable(item);
  }
}

export function printWindowReference(window: WindowReference): string {
  return window.kind === 'windowName' ? quoteName(window.name.name) : printWindowSpecification(window);
}

function printWindowSpecification(spec: WindowSpecification): string {
  const parts: string[] = [];
  if (spec.partitionBy.length > 0) parts.push(`PARTITION BY ${printExpressions(spec.partitionBy)}`);
  if (spec.orderBy.length > 0) {
    const items = spec.orderBy.map(
      (item) => printExpression(item.expression) + (item.direction === null ? '' : ` ${item.direction}`),
    );
    parts.push(`ORDER BY ${items.join(', ')}`);
  }
  if (spec.frame !== null) parts.push(printFrame(spec.frame));
  return `(${parts.join(' ')})`;
}

function printFrame(frame: Frame): string {
  if (frame.end === null) return `${frame.unit} ${printBound(frame.start)}`;
  return `${frame.unit} BETWEEN ${printBound(frame.start)} AND ${printBound(frame.end)}`;
}

function printBound(bound: FrameBound): string {
  return bound.extent === null ? bound.bound : `${printExpression(bound.extent)} ${bound.bound}`;
}
