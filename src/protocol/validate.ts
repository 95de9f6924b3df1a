/**
 * Shape-driven input validation, run on every request before any business rule:
 *
 * 1. `coerceInput` checks types and normalizes (first mismatch → SerializationException);
 * 2. `constraintViolations` walks the members in model order and collects Coral-style
 *    violations (`Value 'x' at 'path' failed to satisfy constraint: …`), at most
 *    `validationErrorsMax`, which become one ValidationException.
 *
 * Paths are lower-camel member names joined by dots; list elements are `<list>.<n>.member` with
 * 1-based n, map values `<map>.<key>.member`. A list or map of constrained scalars is reported
 * once, at the list or map, as Coral does: `Member must satisfy constraint: [<phrases>]`.
 */

import { validationError } from '../core/errors.js';
import { assert, unreachable } from '../core/assert.js';
import { coerceInput, isPlainObject } from './coerce-input.js';
import type { ListShape, MapShape, Shape, ShapeValue, StringShape, StructureShape } from './shape.js';

/** AWS reports at most this many violations in one ValidationException. */
export const validationErrorsMax = 10;

/**
 * Validates a decoded request body (from `decodeJson` or `decodeCbor`) against an operation's
 * input shape and returns it normalized: unknown and null members dropped, blobs as Buffer,
 * timestamps as Date, integers as whole numbers.
 */
export function validateInput<S extends StructureShape>(shape: S, body: unknown): ShapeValue<S> {
  const value = coerceInput(shape, body);
  const violations = constraintViolations(shape, value);
  if (violations.length > 0) throw validationError(formatViolations(violations));
  return value as ShapeValue<S>;
}

export function formatViolations(violations: readonly string[]): string {
  const count = violations.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}

/** Violations of a coerced value, in model order, at most `validationErrorsMax`. */
export function constraintViolations(shape: StructureShape, value: Record<string, unknown>): string[] {
  const violations = new Violations();
  checkStructure(shape, value, '', violations);
  return violations.list;
}

class Violations {
  readonly list: string[] = [];

  get full(): boolean {
    return this.list.length >= validationErrorsMax;
  }

  add(value: unknown, path: string, phrase: string): void {
    if (this.full) return;
    const shown = value === null || value === undefined ? 'null' : `'${renderValue(value)}'`;
    this.list.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${phrase}`);
  }
}

function checkStructure(
  shape: StructureShape,
  value: Record<string, unknown>,
  path: string,
  violations: Violations,
): void {
  for (const member of membersOf(shape)) {
    if (violations.full) return;
    const memberValue = value[member.name];
    if (memberValue === undefined || memberValue === null) {
      if (member.required) violations.add(null, joinPath(path, member.pathName), 'Member must not be null');
      continue;
    }
    checkValue(member.shape, memberValue, joinPath(path, member.pathName), violations);
  }
}

interface MemberEntry {
  readonly name: string;
  readonly shape: Shape;
  /** The member's name as Coral writes it in paths: lower camel case. */
  readonly pathName: string;
  readonly required: boolean;
}

/** A structure's members in model order, worked out once per shape (validation is per request). */
const memberEntries = new WeakMap<StructureShape, readonly MemberEntry[]>();

function membersOf(shape: StructureShape): readonly MemberEntry[] {
  let entries = memberEntries.get(shape);
  if (entries === undefined) {
    const required = shape.required ?? [];
    entries = Object.entries(shape.members).map(([name, member]) => ({
      name,
      shape: member,
      pathName: lowerFirst(name),
      required: required.includes(name),
    }));
    memberEntries.set(shape, entries);
  }
  return entries;
}

function checkValue(shape: Shape, value: unknown, path: string, violations: Violations): void {
  switch (shape.type) {
    case 'structure':
      assert(isPlainObject(value), 'validate: structure not coerced');
      return checkStructure(shape, value, path, violations);
    case 'string':
    case 'integer':
    case 'long':
    case 'double':
    case 'blob':
      // Most values pass: check without building phrases, and only explain a failure.
      if (scalarOk(shape, value)) return;
      for (const phrase of scalarViolations(shape, value)) violations.add(value, path, phrase);
      return;
    case 'boolean':
    case 'timestamp':
      return;
    case 'list':
      return checkList(shape, value as unknown[], path, violations);
    case 'map':
      return checkMap(shape, value as Record<string, unknown>, path, violations);
    default:
      return unreachable(shape);
  }
}

function checkList(shape: ListShape, items: unknown[], path: string, violations: Violations): void {
  for (const phrase of lengthViolations(shape, items.length)) violations.add(items, path, phrase);
  const member = shape.member;
  if (isScalarShape(member)) {
    if (items.some((item) => !scalarSatisfies(member, item))) {
      violations.add(items, path, `Member must satisfy constraint: [${describeMember(member, items)}]`);
    }
    return;
  }
  items.forEach((item, index) => {
    const itemPath = `${path}.${index + 1}.member`;
    if (item === null) violations.add(null, itemPath, 'Member must not be null');
    else checkValue(shape.member, item, itemPath, violations);
  });
}

function checkMap(
  shape: MapShape,
  entries: Record<string, unknown>,
  path: string,
  violations: Violations,
): void {
  const keys = Object.keys(entries);
  for (const phrase of lengthViolations(shape, keys.length)) violations.add(entries, path, phrase);
  if (keys.some((key) => !scalarSatisfies(shape.key, key))) {
    violations.add(entries, path, `Map keys must satisfy constraint: [${describeMember(shape.key, keys)}]`);
  }
  const values = Object.values(entries);
  const valueShape = shape.value;
  if (isScalarShape(valueShape)) {
    if (values.some((item) => !scalarSatisfies(valueShape, item))) {
      violations.add(
        entries,
        path,
        `Map value must satisfy constraint: [${describeMember(valueShape, values)}]`,
      );
    }
    return;
  }
  for (const key of keys) {
    const item = entries[key];
    const itemPath = `${path}.${key}.member`;
    if (item === null) violations.add(null, itemPath, 'Member must not be null');
    else checkValue(shape.value, item, itemPath, violations);
  }
}

type ScalarShape = Exclude<Shape, StructureShape | ListShape | MapShape>;

function isScalarShape(shape: Shape): shape is ScalarShape {
  return shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
}

function scalarSatisfies(shape: ScalarShape, value: unknown): boolean {
  return value !== null && scalarOk(shape, value);
}

/** Whether a (coerced, non-null) scalar meets every constraint; allocates nothing. */
function scalarOk(shape: ScalarShape, value: unknown): boolean {
  switch (shape.type) {
    case 'string': {
      const text = value as string;
      if (shape.min !== undefined && text.length < shape.min) return false;
      if (shape.max !== undefined && text.length > shape.max) return false;
      if (shape.pattern !== undefined && !wholeMatch(shape.pattern).test(text)) return false;
      return shape.enum === undefined || shape.enum.includes(text);
    }
    case 'integer':
    case 'long':
    case 'double': {
      const number = value as number;
      return (
        (shape.min === undefined || number >= shape.min) && (shape.max === undefined || number <= shape.max)
      );
    }
    case 'blob': {
      const length = (value as Buffer).length;
      return (
        (shape.min === undefined || length >= shape.min) && (shape.max === undefined || length <= shape.max)
      );
    }
    case 'boolean':
    case 'timestamp':
      return true;
    default:
      return unreachable(shape);
  }
}

/** Phrases for one scalar, in the order AWS reports them for a single member. */
function scalarViolations(shape: ScalarShape, value: unknown): string[] {
  switch (shape.type) {
    case 'string': {
      const text = value as string;
      const phrases: string[] = [];
      if (shape.pattern !== undefined && !wholeMatch(shape.pattern).test(text)) {
        phrases.push(patternPhrase(shape.pattern));
      }
      phrases.push(...lengthViolations(shape, text.length));
      if (shape.enum !== undefined && !shape.enum.includes(text)) phrases.push(enumPhrase(shape));
      return phrases;
    }
    case 'integer':
    case 'long':
    case 'double': {
      const number = value as number;
      const phrases: string[] = [];
      if (shape.min !== undefined && number < shape.min)
        phrases.push(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && number > shape.max)
        phrases.push(`Member must have value less than or equal to ${shape.max}`);
      return phrases;
    }
    case 'blob':
      return lengthViolations(shape, (value as Buffer).length);
    case 'boolean':
    case 'timestamp':
      return [];
    default:
      return unreachable(shape);
  }
}

function lengthViolations(shape: { readonly min?: number; readonly max?: number }, length: number): string[] {
  const phrases: string[] = [];
  if (shape.min !== undefined && length < shape.min)
    phrases.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max)
    phrases.push(`Member must have length less than or equal to ${shape.max}`);
  return phrases;
}

/**
 * Every constraint of a collection's element shape, in the order Coral lists them inside
 * `Member must satisfy constraint: [...]` (maximum before minimum), plus not-null when an
 * element is null.
 */
function describeMember(shape: ScalarShape, items: readonly unknown[]): string {
  const phrases: string[] = [];
  if (shape.type === 'string' || shape.type === 'blob') {
    if (shape.max !== undefined) phrases.push(`Member must have length less than or equal to ${shape.max}`);
    if (shape.min !== undefined)
      phrases.push(`Member must have length greater than or equal to ${shape.min}`);
  }
  if (shape.type === 'string') {
    if (shape.pattern !== undefined) phrases.push(patternPhrase(shape.pattern));
    if (shape.enum !== undefined) phrases.push(enumPhrase(shape));
  }
  if (shape.type === 'integer' || shape.type === 'long' || shape.type === 'double') {
    if (shape.max !== undefined) phrases.push(`Member must have value less than or equal to ${shape.max}`);
    if (shape.min !== undefined) phrases.push(`Member must have value greater than or equal to ${shape.min}`);
  }
  if (items.includes(null)) phrases.push('Member must not be null');
  return phrases.join(', ');
}

const patternPhrase = (pattern: string): string =>
  `Member must satisfy regular expression pattern: ${pattern}`;

const enumPhrase = (shape: StringShape): string =>
  `Member must satisfy enum value set: [${(shape.enum ?? []).join(', ')}]`;

const compiledPatterns = new Map<string, RegExp>();

/**
 * Java's `String.matches`: the pattern must match the whole value. Patterns with Unicode
 * property classes (`\p{L}`, as in Firehose tag keys) need JavaScript's `u` flag to mean what
 * they mean in Java.
 */
export function wholeMatch(pattern: string): RegExp {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    const source = javaToJavaScript(pattern);
    try {
      // Unicode property classes (`\p{…}`, in Firehose's patterns) need the `u` flag.
      compiled = new RegExp(`^(?:${source})$`, source.includes('\\p{') ? 'u' : '');
    } catch {
      // Java reads a surrogate pair in a class as one code point (Glue's name patterns have
      // `\uD800\uDC00-\uDBFF\uDFFF`, i.e. U+10000..U+10FFFF); so does a JavaScript `u` regex.
      compiled = new RegExp(`^(?:${source})$`, 'u');
    }
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * Model patterns are Java regular expressions. The one Java-only form the models use is a
 * possessive exact count (`\d{12}+`, Kinesis Analytics ARNs), which matches what `{12}` does.
 */
function javaToJavaScript(pattern: string): string {
  return pattern.replace(/(\{\d+\})\+/g, '$1');
}

/** How Coral prints a value inside `Value '…'`: Java `toString()` forms. */
function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (isPlainObject(value)) {
    // Java's Map.toString; structures are printed the same way (inferred, not observed).
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${renderValue(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}
