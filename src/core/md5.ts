/**
 * MD5 of short strings in plain JavaScript. Partition keys are at most 256 characters, and the
 * crypto binding costs ~2 µs a call in object and boundary overhead for such inputs; this runs
 * in a few hundred nanoseconds and allocates nothing but its result. Checked against
 * `node:crypto` on random inputs in `md5.test.ts`. Not for anything security-related.
 */

const shifts = new Uint8Array([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
  21, 6, 10, 15, 21,
]);

const sines = new Int32Array(64);
for (let index = 0; index < 64; index++)
  sines[index] = Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32) | 0;

/** Message buffer: UTF-8 of 256 UTF-16 units is at most 768 bytes, plus padding. */
const messageBytesMax = 1024;
const message = new Uint8Array(messageBytesMax);
const words = new Int32Array(16);
const encoder = new TextEncoder();

/**
 * MD5 of the UTF-8 encoding of `text`, as four big-endian 32-bit words (word 0 is the most
 * significant), written into `out`. Falls back to the crypto binding for long inputs.
 */
export function md5Words(text: string, out: Uint32Array, fallback: (text: string) => Buffer): void {
  let length: number;
  let ascii = text.length < messageBytesMax - 72;
  if (ascii) {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0x7f) {
        ascii = false;
        break;
      }
      message[index] = code;
    }
  }
  if (ascii) {
    length = text.length;
  } else {
    const { written, read } = encoder.encodeInto(text, message.subarray(0, messageBytesMax - 72));
    if (read !== text.length) {
      const digest = fallback(text);
      for (let word = 0; word < 4; word++) out[word] = digest.readUInt32BE(word * 4);
      return;
    }
    length = written;
  }
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a little-endian 64-bit number.
  const padded = (((length + 8) >> 6) + 1) << 6;
  message[length] = 0x80;
  message.fill(0, length + 1, padded - 8);
  const bits = length * 8;
  message[padded - 8] = bits & 0xff;
  message[padded - 7] = (bits >>> 8) & 0xff;
  message[padded - 6] = (bits >>> 16) & 0xff;
  message[padded - 5] = (bits >>> 24) & 0xff;
  message.fill(0, padded - 4, padded);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let block = 0; block < padded; block += 64) {
    for (let word = 0; word < 16; word++) {
      const at = block + word * 4;
      words[word] =
        (message[at] as number) |
        ((message[at + 1] as number) << 8) |
        ((message[at + 2] as number) << 16) |
        ((message[at + 3] as number) << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let round = 0; round < 64; round++) {
      let f: number;
      let g: number;
      if (round < 16) {
        f = (b & c) | (~b & d);
        g = round;
      } else if (round < 32) {
        f = (d & b) | (~d & c);
        g = (5 * round + 1) & 15;
      } else if (round < 48) {
        f = b ^ c ^ d;
        g = (3 * round + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * round) & 15;
      }
      const sum = (a + f + (sines[round] as number) + (words[g] as number)) | 0;
      const shift = shifts[round] as number;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  // MD5's output is little-endian per word; the hash key reads the digest big-endian.
  out[0] = byteSwap(a0);
  out[1] = byteSwap(b0);
  out[2] = byteSwap(c0);
  out[3] = byteSwap(d0);
}

function byteSwap(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}
