/**
 * Prints expressions, names and types in canonical form: upper-case keywords, single spaces,
 * parentheses only where precedence needs them (the levels of parse-expression.ts), names
 * quoted when they would not read back as the same name.
 */
import { unreachable } from '../../core/assert.js';
import type { DataType, Expression, Identifier, IntervalQualifier } from './ast.js';
import { contextualWords, niladicFunctions, reservedWords } from './keywords.js';
import { precedence } from './parse-expression.js';
import { printQuery, printWindowReference } from './printer.js';

const plainName = /^[A-Z_][A-Z0-9_]*$/;

export function quoteName(name: string): string {
  const plain = plainName.test(name) && !reservedWords.has(name) && !contextualWords.has(name);
  return plain && !niladicFunctions.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

export function printName(parts: readonly Identifier[]): string {
  return parts.map((part) => quoteName(part.name)).join('.');
}

export function printString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function printExpression(expression: Expression, level = 0): string {
  const [text, own] = render(expression);
  return own < level ? `(${text})` : text;
}

export function printExpressions(expressions: readonly Expression[]): string {
  return expressions.map((expression) => printExpression(expression)).join(', ');
}

export function printIntervalQualifier(qualifier: IntervalQualifier): string {
  const { start, startPrecision, end, fractionalPrecision } = qualifier;
  let text = start;
  if (startPrecision !== null) {
    text +=
      end === null && fractionalPrecision !== null
        ? `(${startPrecision}, ${fractionalPrecision})`
        : `(${startPrecision})`;
  }
  if (end !== null) text += ` TO ${end}` + (fractionalPrecision !== null ? `(${fractionalPrecision})` : '');
  return text;
}

export function printDataType(type: DataType): string {
  if (type.interval !== null) return `INTERVAL ${printIntervalQualifier(type.interval)}`;
  if (type.length === null) return type.name;
  return type.scale === null ? `${type.name}(${type.length})` : `${type.name}(${type.length}, ${type.scale})`;
}

/** Generic calls whose name the parser would read as special syntax are printed quoted. */
const specialSyntax = new Set(['FLOOR', 'CEIL', 'CEILING', 'STEP', 'SUBSTRING']);

const endsWithTimeUnit = /\b(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)(\(\d+(, \d+)?\))?$/;

const binaryLevels = {
  OR: [precedence.or, precedence.or, precedence.and],
  AND: [precedence.and, precedence.and, precedence.not],
  '=': [precedence.predicate, precedence.predicate, precedence.additive],
  '<>': [precedence.predicate, precedence.predicate, precedence.additive],
  '<': [precedence.predicate, precedence.predicate, precedence.additive],
  '<=': [precedence.predicate, precedence.predicate, precedence.additive],
  '>': [precedence.predicate, precedence.predicate, precedence.additive],
  '>=': [precedence.predicate, precedence.predicate, precedence.additive],
  '+': [precedence.additive, precedence.additive, precedence.multiplicative],
  '-': [precedence.additive, precedence.additive, precedence.multiplicative],
  '*': [precedence.multiplicative, precedence.multiplicative, precedence.unary],
  '/': [precedence.multiplicative, precedence.multiplicative, precedence.unary],
  '||': [precedence.multiplicative, precedence.multiplicative, precedence.unary],
} as const;

const { predicate, additive, primary } = precedence;
const not = (negated: boolean): string => (negated ? 'NOT ' : '');

/** The text and its precedence level. */
function render(e: Expression): [string, number] {
  switch (e.kind) {
    case 'literal':
      return [renderLiteral(e.type, e.value), primary];
    case 'datetimeLiteral':
      return [`${e.type} ${printString(e.value)}`, primary];
    case 'intervalLiteral':
      return [
        `INTERVAL ${e.negative ? '-' : ''}${printString(e.value)} ${printIntervalQualifier(e.qualifier)}`,
        primary,
      ];
    case 'column':
      return [printName(e.parts), primary];
    case 'call':
      return [renderCall(e), primary];
    case 'cast':
      return [`CAST(${printExpression(e.operand)} AS ${printDataType(e.type)})`, primary];
    case 'extract':
      return [`EXTRACT(${e.field} FROM ${printExpression(e.operand)})`, primary];
    case 'timeFloor': {
      // `FLOOR(x + INTERVAL '1' HOUR TO MINUTE)` would read as an HOUR TO MINUTE interval.
      const operand = printExpression(e.operand);
      const guarded = endsWithTimeUnit.test(operand) ? `(${operand})` : operand;
      return [`${e.function}(${guarded} TO ${e.unit})`, primary];
    }
    case 'step':
      return [`STEP(${printExpression(e.operand)} BY ${printExpression(e.by)})`, primary];
    case 'substring': {
      const length = e.for === null ? '' : ` FOR ${printExpression(e.for)}`;
      return [`SUBSTRING(${printExpression(e.operand)} FROM ${printExpression(e.from)}${length})`, primary];
    }
    case 'trim': {
      const head = [e.side, e.characters === null ? null : printExpression(e.characters)].filter(
        (part) => part !== null,
      );
      const from = head.length === 0 ? '' : `${head.join(' ')} FROM `;
      return [`TRIM(${from}${printExpression(e.operand)})`, primary];
    }
    case 'position':
      return [`POSITION(${printExpression(e.needle, additive)} IN ${printExpression(e.haystack)})`, primary];
    case 'overlay': {
      const length = e.for === null ? '' : ` FOR ${printExpression(e.for)}`;
      const body = `${printExpression(e.operand)} PLACING ${printExpression(e.placing)} FROM ${printExpression(e.from)}`;
      return [`OVERLAY(${body}${length})`, primary];
    }
    case 'case': {
      const operand = e.operand === null ? '' : ` ${printExpression(e.operand)}`;
      const whens = e.whens
        .map((w) => ` WHEN ${printExpression(w.when)} THEN ${printExpression(w.then)}`)
        .join('');
      const otherwise = e.else === null ? '' : ` ELSE ${printExpression(e.else)}`;
      return [`CASE${operand}${whens}${otherwise} END`, primary];
    }
    case 'unary': {
      if (e.operator === 'NOT') return [`NOT ${printExpression(e.operand, precedence.not)}`, precedence.not];
      const operand = printExpression(e.operand, precedence.unary);
      const gap = operand.startsWith('-') || operand.startsWith('+') ? ' ' : '';
      return [`${e.operator}${gap}${operand}`, precedence.unary];
    }
    case 'binary': {
      const [own, left, right] = binaryLevels[e.operator];
      return [`${printExpression(e.left, left)} ${e.operator} ${printExpression(e.right, right)}`, own];
    }
    case 'isTest':
      return [`${printExpression(e.operand, predicate)} IS ${not(e.negated)}${e.test}`, predicate];
    case 'isDistinctFrom': {
      const text = `${printExpression(e.left, predicate)} IS ${not(e.negated)}DISTINCT FROM ${printExpression(e.right, additive)}`;
      return [text, predicate];
    }
    case 'between': {
      const bounds = `${printExpression(e.low, additive)} AND ${printExpression(e.high, additive)}`;
      return [`${printExpression(e.operand, predicate)} ${not(e.negated)}BETWEEN ${bounds}`, predicate];
    }
    case 'like': {
      const escape = e.escape === null ? '' : ` ESCAPE ${printExpression(e.escape, additive)}`;
      const pattern = printExpression(e.pattern, additive);
      return [
        `${printExpression(e.operand, predicate)} ${not(e.negated)}${e.operator} ${pattern}${escape}`,
        predicate,
      ];
    }
    case 'inList':
      return [
        `${printExpression(e.operand, predicate)} ${not(e.negated)}IN (${printExpressions(e.list)})`,
        predicate,
      ];
    case 'inQuery':
      return [
        `${printExpression(e.operand, predicate)} ${not(e.negated)}IN (${printQuery(e.query)})`,
        predicate,
      ];
    case 'exists':
      return [`EXISTS (${printQuery(e.query)})`, primary];
    case 'scalarQuery':
      return [`(${printQuery(e.query)})`, primary];
    case 'cursor':
      return [`CURSOR(${printQuery(e.query)})`, primary];
    case 'intervalQualified':
      return [`(${printExpression(e.operand)}) ${printIntervalQualifier(e.qualifier)}`, primary];
    default:
      return unreachable(e);
  }
}

function renderLiteral(type: Extract<Expression, { kind: 'literal' }>['type'], value: string): string {
  switch (type) {
    case 'string':
      return printString(value);
    case 'binary':
      return `X'${value}'`;
    case 'integer':
    case 'decimal':
    case 'approximate':
    case 'boolean':
    case 'null':
    case 'unknown':
      return value;
    default:
      return unreachable(type);
  }
}

function renderCall(e: Extract<Expression, { kind: 'call' }>): string {
  if (e.bare) return e.name.map((part) => part.name).join('.');
  const onlyName = e.name.length === 1 ? e.name[0]!.name : null;
  const plainArguments =
    e.quantifier === null && !e.star && e.from === null && e.nullTreatment === null && e.args.length > 0;
  const name =
    onlyName !== null && specialSyntax.has(onlyName) && !plainArguments ? `"${onlyName}"` : printName(e.name);
  const args = e.star ? '*' : (e.quantifier === null ? '' : `${e.quantifier} `) + printExpressions(e.args);
  const from = e.from === null ? '' : ` FROM ${e.from}`;
  const nulls = e.nullTreatment === null ? '' : ` ${e.nullTreatment}`;
  const over = e.over === null ? '' : ` OVER ${printWindowReference(e.over)}`;
  return `${name}(${args})${from}${nulls}${over}`;
}
