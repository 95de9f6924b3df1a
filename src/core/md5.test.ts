import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { md5Words } from './md5.js';

const viaCrypto = (text: string): Buffer => createHash('md5').update(text, 'utf8').digest();

function hexOf(text: string): string {
  const out = new Uint32Array(4);
  md5Words(text, out, viaCrypto);
  return [...out].map((word) => word.toString(16).padStart(8, '0')).join('');
}

it('matches the RFC 1321 test suite', () => {
  assert.equal(hexOf(''), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(hexOf('a'), '0cc175b9c0f1b6a831c399e269772661');
  assert.equal(hexOf('abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(hexOf('message digest'), 'f96b697d7cb7938d525a2f31aaf161d0');
  assert.equal(
    hexOf('12345678901234567890123456789012345678901234567890123456789012345678901234567890'),
    '57edf4a22be3c955ac49da2e2107b67a',
  );
});

it('matches node:crypto on random ASCII, non-ASCII, boundary-length and long inputs', () => {
  const alphabet = 'abcXYZ019-_ é漢字🙂';
  for (let trial = 0; trial < 3000; trial++) {
    const length = trial < 130 ? trial : Math.floor(Math.random() * 300);
    let text = '';
    const bytes = randomBytes(length);
    for (let index = 0; index < length; index++) text += alphabet[(bytes[index] as number) % alphabet.length];
    assert.equal(hexOf(text), viaCrypto(text).toString('hex'), JSON.stringify(text));
  }
  const long = 'x'.repeat(5000);
  assert.equal(hexOf(long), viaCrypto(long).toString('hex'));
});
