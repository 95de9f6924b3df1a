/**
 * Metamorphic fuzzing: rewrites that must not change the tree. Each corpus statement is re-spelt
 * token by token with random letter case on unquoted words and random whitespace and comments
 * between tokens; the tree (spans aside) must stay the same. Seeded, so a failure replays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutSpans } from '../../src/analytics/sql/ast.js';
import { tokenize } from '../../src/analytics/sql/lexer.js';
import { parseScript } from '../../src/analytics/sql/parser.js';
import { SqlSyntaxError } from '../../src/analytics/sql/sql-syntax-error.js';
import { corpusStatements } from './sql-corpus.js';
import { seededRandom } from '../../src/core/seeded-random.js';

const random = seededRandom;

// Comments start after a space so that they never join a preceding '-' or '/' into `--` or `//`.
const separators = [' ', '\n', '\t', '   ', '\r\n', ' /* c */ ', ' -- c\n', ' // c\n', ' /*\n*/', '\n\n  '];

function respell(source: string, next: () => number): string {
  const tokens = tokenize(source);
  let result = '';
  let previousEnd: number | null = null;
  for (const token of tokens) {
    if (previousEnd !== null) {
      const gapWasEmpty = token.span.start === previousEnd;
      if (!gapWasEmpty || next() < 0.3) result += separators[Math.floor(next() * separators.length)];
    }
    const text = source.slice(token.span.start, token.span.end);
    result +=
      token.kind === 'word'
        ? [...text].map((ch) => (next() < 0.5 ? ch.toLowerCase() : ch.toUpperCase())).join('')
        : text;
    previousEnd = token.span.end;
  }
  return result;
}

describe('SQL metamorphic fuzzing', () => {
  const statements = corpusStatements();
  const next = random(20_261_122);
  for (const statement of statements) {
    it(`${statement.file}:${statement.line} keeps its tree under case, whitespace and comment changes`, () => {
      const expected = withoutSpans(parseScript(statement.source));
      for (let variant = 0; variant < 8; variant += 1) {
        const respelt = respell(statement.source, next);
        assert.deepEqual(withoutSpans(parseScript(respelt)), expected, respelt);
      }
    });
  }

  it('answers mangled statements with a parse or a SqlSyntaxError, never another error', () => {
    const pieces = [
      '(',
      ')',
      ',',
      ';',
      '.',
      '*',
      '-',
      "'",
      '"',
      'SELECT',
      'FROM',
      'OVER',
      'TO',
      'BY',
      'AS',
      'INTERVAL',
      'CASE',
    ];
    for (const statement of statements) {
      const tokens = tokenize(statement.source).slice(0, -1);
      for (let variant = 0; variant < 20; variant += 1) {
        const at = tokens[Math.floor(next() * tokens.length)]!;
        const cut = next() < 0.5 ? at.span.start : at.span.end;
        const mangled =
          next() < 0.3
            ? statement.source.slice(0, cut)
            : statement.source.slice(0, cut) +
              ` ${pieces[Math.floor(next() * pieces.length)]} ` +
              statement.source.slice(cut);
        try {
          parseScript(mangled);
        } catch (error) {
          assert.ok(error instanceof SqlSyntaxError, `${String(error)} for ${mangled}`);
          assert.match(error.message, /^line \d+, column \d+: /);
        }
      }
    }
  });

  it('changes the tree when a quoted name changes case (the rewrite is not vacuous)', () => {
    const lower = withoutSpans(parseScript('SELECT STREAM "a" FROM s'));
    assert.notDeepEqual(withoutSpans(parseScript('SELECT STREAM "A" FROM s')), lower);
    assert.deepEqual(
      withoutSpans(parseScript('SELECT STREAM a FROM s')),
      withoutSpans(parseScript('SELECT STREAM "A" FROM s')),
    );
  });
});
