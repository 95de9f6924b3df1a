/**
 * FAST_REGEX_LOG_PARSE's pattern language (the SQL reference's "Fast Regex" table, the automaton
 * syntax SQLstream took from dk.brics): `"literal"`, `\c` (the character c; `\d \s \w` and their
 * negations are also read as Java's classes), `.` any character, `@` any string, `#` the empty
 * language, `[...]` / `[^...]` classes with `a-z` ranges, `|`, `&` (intersection, tighter than
 * `|` and looser than concatenation), `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, `( )` (every
 * parenthesised expression is a capture group: a column), `<Name>` named classes (Digit, Alpha,
 * Alnum, Upper, Lower, Space, Punct, XDigit, Word) and `<n-m>` numeric intervals. The pattern is
 * parsed into a small tree, then matched one of two ways:
 *
 * - FRLP's own way, when the groups are a flat sequence at the top level (no group inside
 *   another, under a repetition, an alternation or an intersection): as the SQL reference
 *   describes it, the pattern becomes a series of expressions, one per group and one per run of
 *   text between groups; the fixed-length start of each is moved to the end of the one before
 *   (`_+` counts as `_` then `_*`); the series is matched left to right with no backtracking from
 *   one expression to an earlier one. A group's expression takes as little as it can (lazy); a run
 *   between groups takes as much as it can, so `(.*)_+(.*)` puts every underscore between the two
 *   fields. The last expression must reach the end of the line.
 * - Otherwise, as one anchored JavaScript regular expression with lazy quantifiers (which may
 *   backtrack where FRLP would give up).
 *
 * `A&B` matches text both sides match: A in the flow, then a lookbehind checks that B matches the
 * same text (its start is pinned by comparing what follows it with the rest of the line, captured
 * before A). Either way the whole line must be consumed, else there are no fields.
 */
import { unreachable } from '../../core/assert.js';

export class FastRegexError extends Error {}

const namedClasses: Readonly<Record<string, string>> = {
  DIGIT: '[0-9]',
  ALPHA: '[A-Za-z]',
  ALNUM: '[A-Za-z0-9]',
  UPPER: '[A-Z]',
  LOWER: '[a-z]',
  SPACE: '\\s',
  PUNCT: '[!-/:-@\\[-`{-~]',
  XDIGIT: '[0-9A-Fa-f]',
  WORD: '\\w',
};

const javaClasses = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const intervalAlternativesMax = 10_000;

type Node =
  | { readonly kind: 'atom'; readonly source: string; readonly length: number | null }
  | { readonly kind: 'anyString' }
  | { readonly kind: 'sequence'; readonly items: readonly Node[] }
  | { readonly kind: 'union'; readonly options: readonly Node[] }
  | { readonly kind: 'intersection'; readonly operands: readonly Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly kind: 'group'; readonly index: number; readonly node: Node };

/** One expression of FRLP's series: parts in order, each in a group (its index) or not (null). */
interface SeriesExpression {
  readonly parts: { readonly node: Node; readonly group: number | null }[];
  /** A group's expression matches lazily; a run between groups greedily. */
  readonly lazy: boolean;
}

export interface FastRegex {
  /** The whole pattern as one anchored regular expression (group N is the capture `cN`). */
  readonly regex: RegExp;
  /** The number of columns. */
  readonly groups: number;
  /** FRLP's series of expressions, or null when the groups are not a flat top-level sequence. */
  readonly series: readonly { readonly regex: RegExp; readonly groups: readonly number[] }[] | null;
}

/** The columns of a line, or null when the pattern does not consume the whole line. */
export function matchFastRegex(compiled: FastRegex, text: string): (string | null)[] | null {
  if (compiled.series === null) {
    const match = compiled.regex.exec(text);
    if (match === null) return null;
    const columns: (string | null)[] = [];
    for (let i = 1; i <= compiled.groups; i++) columns.push(match.groups?.[`c${i}`] ?? null);
    return columns;
  }
  const starts: number[] = new Array<number>(compiled.groups + 1).fill(-1);
  const ends: number[] = new Array<number>(compiled.groups + 1).fill(-1);
  let position = 0;
  for (const expression of compiled.series) {
    expression.regex.lastIndex = position;
    const match = expression.regex.exec(text);
    if (match === null) return null;
    expression.groups.forEach((group, part) => {
      const span = match.indices?.groups?.[`q${part}`];
      if (span === undefined) return;
      if (starts[group]! < 0) starts[group] = span[0];
      ends[group] = span[1];
    });
    position = match.index + match[0].length;
  }
  if (position !== text.length) return null;
  const columns: (string | null)[] = [];
  for (let i = 1; i <= compiled.groups; i++)
    columns.push(starts[i]! < 0 ? '' : text.slice(starts[i], ends[i]));
  return columns;
}

export function compileFastRegex(pattern: string): FastRegex {
  const { node, groups } = parse(pattern);
  const regex = new RegExp(`^${emit(node, true, { helpers: 0 }, true)}$`);
  return { regex, groups, series: series(node) };
}

function parse(pattern: string): { node: Node; groups: number } {
  let position = 0;
  let groups = 0;
  const fail = (message: string): never => {
    throw new FastRegexError(`${message} at position ${position + 1} of the fast regex`);
  };
  const peek = (): string | undefined => pattern[position];
  const atom = (source: string, length: number | null): Node => ({ kind: 'atom', source, length });

  const union = (): Node => {
    const options = [intersection()];
    while (peek() === '|') {
      position++;
      options.push(intersection());
    }
    return options.length === 1 ? options[0]! : { kind: 'union', options };
  };
  const intersection = (): Node => {
    const operands = [concatenation()];
    while (peek() === '&') {
      position++;
      operands.push(concatenation());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'intersection', operands };
  };
  const concatenation = (): Node => {
    const items: Node[] = [];
    for (;;) {
      const c = peek();
      if (c === undefined || c === '|' || c === ')' || c === '&')
        return items.length === 1 ? items[0]! : { kind: 'sequence', items };
      items.push(repeated());
    }
  };
  const repeated = (): Node => {
    let node = primary();
    for (;;) {
      const c = peek();
      if (c === '?' || c === '*' || c === '+') {
        position++;
        node = { kind: 'repeat', node, min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity };
      } else if (c === '{') {
        const close = pattern.indexOf('}', position);
        const body = close < 0 ? '' : pattern.slice(position + 1, close);
        const bounds = /^(\d+)(,(\d*))?$/.exec(body);
        if (bounds === null) return fail('a repetition needs {n}, {n,} or {n,m}');
        position = close + 1;
        const min = Number(bounds[1]);
        const max = bounds[2] === undefined ? min : bounds[3] === '' ? Infinity : Number(bounds[3]);
        if (max < min) fail('a repetition {n,m} needs n <= m');
        node = { kind: 'repeat', node, min, max };
      } else return node;
    }
  };
  const primary = (): Node => {
    const c = peek();
    position++;
    switch (c) {
      case '(': {
        const index = ++groups;
        const inner = peek() === ')' ? atom('', 0) : union();
        if (peek() !== ')') fail("expected ')'");
        position++;
        return { kind: 'group', index, node: inner };
      }
      case '"': {
        const close = pattern.indexOf('"', position);
        if (close < 0) fail('unterminated string');
        const literal = pattern.slice(position, close);
        position = close + 1;
        return atom(escape(literal), literal.length);
      }
      case '.':
        return atom('[\\s\\S]', 1);
      case '@':
        return { kind: 'anyString' };
      case '#':
        return atom('(?!)', null);
      case '[':
        return atom(characterClass(), 1);
      case '<':
        return named();
      case '\\': {
        const next = peek();
        if (next === undefined) return fail('a pattern cannot end with \\');
        position++;
        return atom(javaClasses.has(next) ? `\\${next}` : escape(next), 1);
      }
      case undefined:
        return fail('unexpected end');
      default:
        if ('*+?{}]&'.includes(c)) fail(`unexpected '${c}'`);
        return atom(escape(c), 1);
    }
  };
  const characterClass = (): string => {
    let out = '[';
    if (peek() === '^') {
      out += '^';
      position++;
    }
    for (;;) {
      const c = peek();
      if (c === undefined) return fail("expected ']'");
      position++;
      if (c === ']') return `${out}]`;
      if (c === '\\') {
        const next = peek();
        if (next === undefined) return fail("expected ']'");
        position++;
        out += javaClasses.has(next) ? `\\${next}` : escape(next);
      } else if (c === '-' && out.length > 1 && peek() !== ']') out += '-';
      else out += escape(c);
    }
  };
  const named = (): Node => {
    const close = pattern.indexOf('>', position);
    if (close < 0) fail("expected '>'");
    const name = pattern.slice(position, close);
    position = close + 1;
    const interval = /^(\d+)-(\d+)$/.exec(name);
    if (interval !== null) {
      const low = Number(interval[1]);
      const high = Number(interval[2]);
      if (low > high || high - low >= intervalAlternativesMax)
        fail(
          `the interval <${name}> must be ascending and span fewer than ${intervalAlternativesMax} numbers`,
        );
      const numbers: string[] = [];
      for (let n = high; n >= low; n--) numbers.push(String(n));
      return atom(`(?:${numbers.join('|')})`, null);
    }
    const known = namedClasses[name.toUpperCase()];
    if (known === undefined) return fail(`unknown named pattern <${name}>`);
    return atom(known, 1);
  };

  const node = union();
  if (position < pattern.length) fail(`unexpected '${pattern[position]}'`);
  return { node, groups };
}

/** The regular expression of a node; groups become `(?<cN>…)` captures when `capture` is set. */
function emit(node: Node, lazy: boolean, state: { helpers: number }, capture: boolean): string {
  const lazily = lazy ? '?' : '';
  switch (node.kind) {
    case 'atom':
      return node.source;
    case 'anyString':
      return `[\\s\\S]*${lazily}`;
    case 'sequence':
      return node.items.map((n) => emit(n, lazy, state, capture)).join('');
    case 'union':
      return `(?:${node.options.map((n) => emit(n, lazy, state, capture)).join('|')})`;
    case 'intersection': {
      const rest = `r${++state.helpers}`;
      const [first, ...others] = node.operands;
      let out = `(?=(?<${rest}>[\\s\\S]*))(?:${emit(first!, lazy, state, capture)})`;
      for (const other of others) out += `(?<=(?=\\k<${rest}>$)(?:${emit(other, lazy, state, capture)}))`;
      return out;
    }
    case 'repeat': {
      const inner = `(?:${emit(node.node, lazy, state, capture)})`;
      if (node.min === 0 && node.max === 1) return `${inner}?${lazily}`;
      if (node.min === 0 && node.max === Infinity) return `${inner}*${lazily}`;
      if (node.min === 1 && node.max === Infinity) return `${inner}+${lazily}`;
      if (node.min === node.max) return `${inner}{${node.min}}`;
      return `${inner}{${node.min},${node.max === Infinity ? '' : node.max}}${lazily}`;
    }
    case 'group': {
      const body = emit(node.node, lazy, state, capture);
      return capture ? `(?<c${node.index}>${body})` : `(?:${body})`;
    }
    default:
      return unreachable(node);
  }
}

const containsGroup = (node: Node): boolean => {
  switch (node.kind) {
    case 'atom':
    case 'anyString':
      return false;
    case 'sequence':
      return node.items.some(containsGroup);
    case 'union':
      return node.options.some(containsGroup);
    case 'intersection':
      return node.operands.some(containsGroup);
    case 'repeat':
      return containsGroup(node.node);
    case 'group':
      return true;
    default:
      return unreachable(node);
  }
};

/** The length every match of the node has, or null when it varies. */
const fixedLength = (node: Node): number | null => {
  switch (node.kind) {
    case 'atom':
      return node.length;
    case 'anyString':
      return null;
    case 'sequence': {
      let total = 0;
      for (const item of node.items) {
        const length = fixedLength(item);
        if (length === null) return null;
        total += length;
      }
      return total;
    }
    case 'union': {
      const lengths = node.options.map(fixedLength);
      return lengths.every((l) => l !== null && l === lengths[0]) ? lengths[0]! : null;
    }
    case 'intersection':
      return fixedLength(node.operands[0]!);
    case 'repeat': {
      const length = fixedLength(node.node);
      return length !== null && node.min === node.max ? length * node.min : null;
    }
    case 'group':
      return fixedLength(node.node);
    default:
      return unreachable(node);
  }
};

const itemsOf = (node: Node): readonly Node[] => (node.kind === 'sequence' ? node.items : [node]);

/** FRLP's series of expressions (see the header), or null when the groups are not flat. */
function series(root: Node): FastRegex['series'] {
  const expressions: SeriesExpression[] = [];
  let run: SeriesExpression | null = null;
  for (const item of itemsOf(root)) {
    if (item.kind === 'group') {
      if (containsGroup(item.node)) return null;
      run = null;
      expressions.push({
        parts: itemsOf(item.node).map((node) => ({ node, group: item.index })),
        lazy: true,
      });
    } else {
      if (containsGroup(item)) return null;
      if (run === null) {
        run = { parts: [], lazy: false };
        expressions.push(run);
      }
      run.parts.push({ node: item, group: null });
    }
  }
  // Each expression's fixed-length start moves to the end of the expression before it.
  for (let i = expressions.length - 1; i > 0; i--) {
    const { parts } = expressions[i]!;
    const moved: SeriesExpression['parts'] = [];
    while (parts.length > 0) {
      const first = parts[0]!;
      if (fixedLength(first.node) !== null) {
        moved.push(parts.shift()!);
        continue;
      }
      const node = first.node;
      if (node.kind === 'repeat' && node.min > 0 && fixedLength(node.node) !== null) {
        moved.push({ node: { ...node, max: node.min }, group: first.group });
        parts[0] = { node: { ...node, min: 0, max: node.max - node.min }, group: first.group };
      }
      break;
    }
    expressions[i - 1]!.parts.push(...moved);
  }
  const kept = expressions.filter((e) => e.parts.length > 0);
  return kept.map((expression, i) => {
    const state = { helpers: 0 };
    const groups = expression.parts.map((p) => p.group ?? 0);
    const source = expression.parts
      .map((p, j) => {
        const body = emit(p.node, expression.lazy, state, false);
        return p.group === null ? body : `(?<q${j}>${body})`;
      })
      .join('');
    return { regex: new RegExp(i === kept.length - 1 ? `${source}$` : source, 'yd'), groups };
  });
}
