/** A compact S-expression view of expressions, so tests can state a tree's shape in one line. */
import { unreachable } from '../../src/core/assert.js';
import type { Expression, Identifier } from '../../src/analytics/sql/ast.js';

const name = (parts: readonly Identifier[]): string => parts.map((part) => part.name).join('.');

export function shape(e: Expression): string {
  switch (e.kind) {
    case 'literal':
      return e.type === 'string' ? `'${e.value}'` : e.value;
    case 'datetimeLiteral':
      return `${e.type}'${e.value}'`;
    case 'intervalLiteral':
      return `INTERVAL${e.negative ? '-' : ''}'${e.value}'${e.qualifier.start}${e.qualifier.end === null ? '' : `-${e.qualifier.end}`}`;
    case 'column':
      return name(e.parts);
    case 'call': {
      const args = e.star ? ['*'] : e.args.map(shape);
      const head = [name(e.name), e.quantifier, ...args].filter((part) => part !== null).join(' ');
      const over =
        e.over === null ? '' : e.over.kind === 'windowName' ? ` OVER ${e.over.name.name}` : ' OVER (...)';
      return e.bare
        ? name(e.name)
        : `(${head})${e.nullTreatment === null ? '' : ` ${e.nullTreatment}`}${over}`;
    }
    case 'cast':
      return `(CAST ${shape(e.operand)} ${e.type.name})`;
    case 'extract':
      return `(EXTRACT ${e.field} ${shape(e.operand)})`;
    case 'timeFloor':
      return `(${e.function} ${shape(e.operand)} TO ${e.unit})`;
    case 'step':
      return `(STEP ${shape(e.operand)} BY ${shape(e.by)})`;
    case 'substring':
      return `(SUBSTRING ${shape(e.operand)} ${shape(e.from)}${e.for === null ? '' : ` ${shape(e.for)}`})`;
    case 'trim':
      return `(TRIM ${e.side ?? '-'} ${e.characters === null ? '-' : shape(e.characters)} ${shape(e.operand)})`;
    case 'position':
      return `(POSITION ${shape(e.needle)} ${shape(e.haystack)})`;
    case 'overlay':
      return `(OVERLAY ${shape(e.operand)} ${shape(e.placing)} ${shape(e.from)}${e.for === null ? '' : ` ${shape(e.for)}`})`;
    case 'case':
      return `(CASE${e.operand === null ? '' : ` ${shape(e.operand)}`}${e.whens.map((w) => ` [${shape(w.when)} ${shape(w.then)}]`).join('')}${e.else === null ? '' : ` ${shape(e.else)}`})`;
    case 'unary':
      return `(${e.operator} ${shape(e.operand)})`;
    case 'binary':
      return `(${e.operator} ${shape(e.left)} ${shape(e.right)})`;
    case 'isTest':
      return `(IS${e.negated ? ' NOT' : ''} ${e.test} ${shape(e.operand)})`;
    case 'isDistinctFrom':
      return `(IS${e.negated ? ' NOT' : ''} DISTINCT ${shape(e.left)} ${shape(e.right)})`;
    case 'between':
      return `(${e.negated ? 'NOT ' : ''}BETWEEN ${shape(e.operand)} ${shape(e.low)} ${shape(e.high)})`;
    case 'like':
      return `(${e.negated ? 'NOT ' : ''}${e.operator} ${shape(e.operand)} ${shape(e.pattern)}${e.escape === null ? '' : ` ${shape(e.escape)}`})`;
    case 'inList':
      return `(${e.negated ? 'NOT ' : ''}IN ${shape(e.operand)} ${e.list.map(shape).join(' ')})`;
    case 'inQuery':
      return `(${e.negated ? 'NOT ' : ''}IN ${shape(e.operand)} <query>)`;
    case 'exists':
      return '(EXISTS <query>)';
    case 'scalarQuery':
      return '<query>';
    case 'cursor':
      return '(CURSOR <query>)';
    case 'intervalQualified':
      return `(QUALIFY ${shape(e.operand)} ${e.qualifier.start}${e.qualifier.end === null ? '' : `-${e.qualifier.end}`})`;
    default:
      return unreachable(e);
  }
}
