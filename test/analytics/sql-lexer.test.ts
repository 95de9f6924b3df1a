/** The lexer: case folding, quoted names, literals, comments, positions and its errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize, type Token } from '../../src/analytics/sql/lexer.js';
import { SqlSyntaxError } from '../../src/analytics/sql/sql-syntax-error.js';

const kinds = (source: string): string[] => tokenize(source).map((token) => `${token.kind}:${token.value}`);
const at = (token: Token | undefined): string => `${token?.span.line}:${token?.span.column}`;

function lexError(source: string): string {
  try {
    tokenize(source);
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError);
    return error.message;
  }
  return assert.fail(`no error for ${source}`);
}

describe('SQL lexer', () => {
  describe('words and names', () => {
    it('folds unquoted words to upper case and keeps quoted identifiers as written', () => {
      assert.deepEqual(kinds('select Stream ticker_Symbol, "ticker_Symbol", "a ""b"" c", _x1'), [
        'word:SELECT',
        'word:STREAM',
        'word:TICKER_SYMBOL',
        'operator:,',
        'quotedIdentifier:ticker_Symbol',
        'operator:,',
        'quotedIdentifier:a "b" c',
        'operator:,',
        'word:_X1',
        'eof:',
      ]);
    });

    it('reads quoted identifiers with any characters', () => {
      assert.deepEqual(kinds('"60sec_sum_of_sensor_value" "200-ConditionedOrdersPump" "SELECT"'), [
        'quotedIdentifier:60sec_sum_of_sensor_value',
        'quotedIdentifier:200-ConditionedOrdersPump',
        'quotedIdentifier:SELECT',
        'eof:',
      ]);
    });

    it('does not take $ or non-ASCII letters in unquoted names', () => {
      assert.equal(lexError('EXPR$0'), "line 1, column 5: unexpected character '$'");
      assert.equal(lexError('préfix'), 'line 1, column 3: unexpected character U+00E9');
      assert.equal(lexError('a\u00a0= 1'), 'line 1, column 2: unexpected character U+00A0');
      assert.equal(lexError('x = \u{1F600}'), 'line 1, column 5: unexpected character U+1F600');
    });
  });

  describe('literals', () => {
    it('reads strings with doubled quotes, across lines', () => {
      assert.deepEqual(kinds("'it''s' '' 'two\nlines'"), [
        "string:it's",
        'string:',
        'string:two\nlines',
        'eof:',
      ]);
    });

    it('reads U& strings raw (escapes are decoded by the parser) and X strings as upper-case hex', () => {
      assert.deepEqual(kinds("U&'\\0009' u&'a''b' X'0aFf' x''"), [
        'unicodeString:\\0009',
        "unicodeString:a'b",
        'binaryString:0AFF',
        'binaryString:',
        'eof:',
      ]);
    });

    it('classifies numbers and writes the exponent as E', () => {
      assert.deepEqual(kinds('42 3.14 .5 7. 1.5e3 2E-3 6e+2'), [
        'integer:42',
        'decimal:3.14',
        'decimal:.5',
        'decimal:7.',
        'approximate:1.5E3',
        'approximate:2E-3',
        'approximate:6E+2',
        'eof:',
      ]);
    });

    it('reads every operator, longest first', () => {
      assert.deepEqual(
        kinds('<> != >= <= || = < > + - * / ( ) , ; .').map((token) => token.replace('operator:', '')),
        ['<>', '!=', '>=', '<=', '||', '=', '<', '>', '+', '-', '*', '/', '(', ')', ',', ';', '.', 'eof:'],
      );
    });

    it('keeps interval and timestamp literals as words and strings for the parser', () => {
      assert.deepEqual(kinds("INTERVAL '1:30' HOUR TO MINUTE TIMESTAMP '2004-09-27 13:48:23'"), [
        'word:INTERVAL',
        'string:1:30',
        'word:HOUR',
        'word:TO',
        'word:MINUTE',
        'word:TIMESTAMP',
        'string:2004-09-27 13:48:23',
        'eof:',
      ]);
    });
  });

  describe('comments and positions', () => {
    it('skips --, // and /* */ comments', () => {
      assert.deepEqual(kinds("a -- one\nb // two\nc /* three\nlines */ d 'x--y' e/**/f"), [
        'word:A',
        'word:B',
        'word:C',
        'word:D',
        'string:x--y',
        'word:E',
        'word:F',
        'eof:',
      ]);
    });

    it('gives each token its offset, line and column, counting \\n, \\r\\n and \\r', () => {
      const tokens = tokenize("SELECT\n  a,\r\n\tb\r'c\nd' e");
      assert.deepEqual(tokens.map(at), ['1:1', '2:3', '2:4', '3:2', '4:1', '5:4', '5:5']);
      assert.deepEqual(
        tokens.map((token) => [token.span.start, token.span.end]),
        [
          [0, 6],
          [9, 10],
          [10, 11],
          [14, 15],
          [16, 21],
          [22, 23],
          [23, 23],
        ],
      );
    });
  });

  describe('errors', () => {
    it('names the line and column of the problem', () => {
      assert.equal(lexError("SELECT\n  'abc"), 'line 2, column 3: unterminated string literal');
      assert.equal(lexError('SELECT\n  "abc'), 'line 2, column 3: unterminated quoted identifier');
      assert.equal(lexError('a /* b\n c'), 'line 1, column 3: unterminated comment');
      assert.equal(lexError('SELECT ""'), 'line 1, column 8: a quoted identifier cannot be empty');
      assert.equal(lexError('1e'), 'line 1, column 1: malformed number: the exponent has no digits');
      assert.equal(lexError('x = 12abc'), "line 1, column 5: malformed number '12a'");
      assert.equal(
        lexError("X'ABC'"),
        'line 1, column 1: binary string literal needs an even number of hexadecimal digits',
      );
      assert.equal(
        lexError("\n X'0G'"),
        "line 2, column 2: binary string literal has a non-hexadecimal character 'G'",
      );
      assert.equal(lexError('a # b'), "line 1, column 3: unexpected character '#'");
      assert.equal(lexError('a \u0001'), 'line 1, column 3: unexpected character U+0001');
    });

    it('rejects code over the 102,400-character limit before reading it', () => {
      assert.equal(
        lexError(' '.repeat(102_401)),
        'line 1, column 1: application code is 102401 characters; the limit is 102400',
      );
      assert.equal(tokenize(' '.repeat(102_400)).length, 1);
    });
  });
});
