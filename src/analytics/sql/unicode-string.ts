/**
 * Decoding of `U&'...'` literals: `\XXXX` (four hex digits) or `\+XXXXXX` (six) name a code
 * point, `\\` is a backslash; `UESCAPE '!'` replaces the backslash with another character.
 */
export function decodeUnicodeString(body: string, escape: string): string | { error: string } {
  let result = '';
  for (let index = 0; index < body.length;) {
    const ch = body[index]!;
    if (ch !== escape) {
      result += ch;
      index += 1;
      continue;
    }
    if (body[index + 1] === escape) {
      result += escape;
      index += 2;
      continue;
    }
    const six = body[index + 1] === '+';
    const digits = six ? body.slice(index + 2, index + 8) : body.slice(index + 1, index + 5);
    if (!/^[0-9A-Fa-f]+$/.test(digits) || digits.length !== (six ? 6 : 4)) {
      return { error: `bad escape in Unicode string literal at '${body.slice(index, index + 8)}'` };
    }
    const codePoint = Number.parseInt(digits, 16);
    if (codePoint > 0x10ffff) return { error: `code point ${digits} is beyond U+10FFFF` };
    result += String.fromCodePoint(codePoint);
    index += six ? 8 : 5;
  }
  return result;
}
