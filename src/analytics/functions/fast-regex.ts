/**
 * FAST_REGEX_LOG_PARSE's pattern language (the SQL reference's "Fast Regex" table, the automaton
 * syntax SQLstream took from dk.brics): `"literal"`, `\c` (the character c; `\d \s \w` and their
 * negations are also read as Java's classes), `.` any character, `@` any string, `#` the empty
 * language, `[...]` / `[^...]` classes with `a-z` ranges, `|`, `?`, `*`, `+`, `{n}`, `{n,}`,
 * `{n,m}`, `( )` (every parenthesised expression is a capture group: a column), `<Name>` named
 * classes (Digit, Alpha, Alnum, Upper, Lower, Space, Punct, XDigit, Word) and `<n-m>` numeric
 * intervals. It becomes an anchored JavaScript regular expression with lazy quantifiers, so the
 * whole line must be consumed and each field takes as little as it can. `A&B` (intersection,
 * binding tighter than `|` and looser than concatenation, as in dk.brics) matches a string both
 * match: A is matched in the flow, then a lookbehind checks that B matches exactly the same text
 * (its start is pinned by comparing what follows it with the rest of the line captured before A).
 * Capture groups are named (`c1` … for the columns, `r1` … for those helpers), so helpers never
 * shift the columns. Differences from FRLP: the JavaScript engine backtracks, so a line FRLP's
 * no-backtracking scan gives up on may still yield fields here.
 */
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

export interface FastRegex {
  readonly regex: RegExp;
  /** The number of columns: capture group `cN` of a match is column N. */
  readonly groups: number;
}

/** The columns of a line, or null when the pattern does not consume the whole line. */
export function matchFastRegex(compiled: FastRegex, text: string): (string | null)[] | null {
  const match = compiled.regex.exec(text);
  if (match === null) return null;
  const columns: (string | null)[] = [];
  for (let i = 1; i <= compiled.groups; i++) columns.push(match.groups?.[`c${i}`] ?? null);
  return columns;
}

export function compileFastRegex(pattern: string): FastRegex {
  let position = 0;
  let groups = 0;
  let helpers = 0;
  const fail = (message: string): never => {
    throw new FastRegexError(`${message} at position ${position + 1} of the fast regex`);
  };
  const peek = (): string | undefined => pattern[position];

  const union = (): string => {
    const parts = [intersection()];
    while (peek() === '|') {
      position++;
      parts.push(intersection());
    }
    return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
  };
  const intersection = (): string => {
    const first = concatenation();
    if (peek() !== '&') return first;
    const rest = `r${++helpers}`;
    let out = `(?=(?<${rest}>[\\s\\S]*))(?:${first})`;
    while (peek() === '&') {
      position++;
      out += `(?<=(?=\\k<${rest}>$)(?:${concatenation()}))`;
    }
    return out;
  };
  const concatenation = (): string => {
    let out = '';
    for (;;) {
      const c = peek();
      if (c === undefined || c === '|' || c === ')' || c === '&') return out;
      out += repeated();
    }
  };
  const repeated = (): string => {
    let atom = primary();
    for (;;) {
      const c = peek();
      if (c === '?' || c === '*' || c === '+') {
        position++;
        atom = `(?:${atom})${c}?`;
      } else if (c === '{') {
        const close = pattern.indexOf('}', position);
        const body = close < 0 ? '' : pattern.slice(position + 1, close);
        if (!/^\d+(,\d*)?$/.test(body)) fail('a repetition needs {n}, {n,} or {n,m}');
        position = close + 1;
        atom = `(?:${atom}){${body}}?`;
      } else return atom;
    }
  };
  const primary = (): string => {
    const c = peek();
    position++;
    switch (c) {
      case '(': {
        const name = `c${++groups}`;
        const inner = peek() === ')' ? '' : union();
        if (peek() !== ')') fail("expected ')'");
        position++;
        return `(?<${name}>${inner})`;
      }
      case '"': {
        const close = pattern.indexOf('"', position);
        if (close < 0) fail('unterminated string');
        const literal = pattern.slice(position, close);
        position = close + 1;
        return escape(literal);
      }
      case '.':
        return '[\\s\\S]';
      case '@':
        return '[\\s\\S]*?';
      case '#':
        return '(?!)';
      case '[':
        return characterClass();
      case '<':
        return named();
      case '\\': {
        const next = peek();
        if (next === undefined) fail('a pattern cannot end with \\');
        position++;
        return javaClasses.has(next!) ? `\\${next}` : escape(next!);
      }
      case undefined:
        return fail('unexpected end');
      default:
        if ('*+?{}]&'.includes(c!)) fail(`unexpected '${c}'`);
        return escape(c!);
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
      if (c === undefined) fail("expected ']'");
      position++;
      if (c === ']') return `${out}]`;
      if (c === '\\') {
        const next = peek();
        if (next === undefined) fail("expected ']'");
        position++;
        out += javaClasses.has(next!) ? `\\${next}` : escape(next!);
      } else if (c === '-' && out.length > 1 && peek() !== ']') out += '-';
      else out += escape(c!);
    }
  };
  const named = (): string => {
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
      return `(?:${numbers.join('|')})`;
    }
    const known = namedClasses[name.toUpperCase()];
    if (known === undefined) fail(`unknown named pattern <${name}>`);
    return known!;
  };

  const body = union();
  if (position < pattern.length) fail(`unexpected '${pattern[position]}'`);
  return { regex: new RegExp(`^${body}$`), groups };
}
