/**
 * CRC32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78): the checksum that frames
 * log records. Table-driven slicing: sixteen 256-entry tables let the main loop fold sixteen
 * input bytes per step, loaded as four aligned 32-bit words; short ranges and the unaligned
 * edges go eight bytes (then one byte) at a time.
 *
 * Word loads go through an Int32Array view of the whole underlying ArrayBuffer, cached for the
 * last buffer seen: the append and read paths call this once or twice per record over the same
 * batch or chunk, and a view per call would cost about as much as the bytes it saves. The cache
 * holds its buffer strongly (a WeakRef's deref measurably slowed the per-record path), so only
 * buffers up to `cachedBufferBytesMax` are cached, bounding what it can keep alive; larger ones
 * get a view per call, which their long ranges amortise. Words are read little-endian, so
 * big-endian hosts use the byte loop only.
 *
 * `crc32c(b, crc32c(a))` equals `crc32c(a ++ b)`, so a checksum can be built over several
 * ranges without copying them together.
 */

const reflectedPolynomial = 0x82f63b78;
/** Below this many bytes the word loop's setup costs more than it saves. */
const wordLoopBytesMin = 256;
const cachedBufferBytesMax = 8 * 1024 * 1024;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const tables = buildTables(16);
const [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15] = Array.from(
  { length: 16 },
  (_, slice) => tables.subarray(slice * 256, (slice + 1) * 256),
) as [
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
];

function buildTables(slices: number): Int32Array {
  const result = new Int32Array(slices * 256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ reflectedPolynomial : crc >>> 1;
    result[byte] = crc;
  }
  for (let byte = 0; byte < 256; byte++) {
    for (let slice = 1; slice < slices; slice++) {
      const previous = result[(slice - 1) * 256 + byte]!;
      result[slice * 256 + byte] = (previous >>> 8) ^ result[previous & 0xff]!;
    }
  }
  return result;
}

let cachedBuffer: ArrayBufferLike | undefined;
let cachedWords: Int32Array = new Int32Array(0);

/** A word view of all of `buffer`, reused while the same buffer keeps coming. */
function wordsOf(buffer: ArrayBufferLike): Int32Array {
  if (cachedBuffer === buffer) return cachedWords;
  const words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  if (buffer.byteLength <= cachedBufferBytesMax) {
    cachedBuffer = buffer;
    cachedWords = words;
  }
  return words;
}

/** The CRC32C of `data`, continuing from `initial` (the CRC of the bytes before it). */
export function crc32c(data: Uint8Array, initial = 0): number {
  return crc32cRange(data, 0, data.length, initial);
}

/** The CRC32C of `data[start, end)` without making a view of it (the append path is hot). */
export function crc32cRange(data: Uint8Array, start: number, end: number, initial = 0): number {
  let crc = ~initial;
  let index = start;
  if (littleEndian && end - index >= wordLoopBytesMin) {
    const base = data.byteOffset;
    const leadEnd = index + ((4 - ((base + index) & 3)) & 3);
    while (index < leadEnd) crc = (crc >>> 8) ^ t0[(crc ^ data[index++]!) & 0xff]!;
    const words = wordsOf(data.buffer);
    let word = (base + index) >>> 2;
    const wordEnd = word + (((end - index) >>> 4) << 2);
    index += (wordEnd - word) << 2;
    for (; word < wordEnd; word += 4) {
      const a = crc ^ words[word]!;
      const b = words[word + 1]!;
      const c = words[word + 2]!;
      const d = words[word + 3]!;
      crc =
        t15[a & 0xff]! ^
        t14[(a >>> 8) & 0xff]! ^
        t13[(a >>> 16) & 0xff]! ^
        t12[a >>> 24]! ^
        t11[b & 0xff]! ^
        t10[(b >>> 8) & 0xff]! ^
        t9[(b >>> 16) & 0xff]! ^
        t8[b >>> 24]! ^
        t7[c & 0xff]! ^
        t6[(c >>> 8) & 0xff]! ^
        t5[(c >>> 16) & 0xff]! ^
        t4[c >>> 24]! ^
        t3[d & 0xff]! ^
        t2[(d >>> 8) & 0xff]! ^
        t1[(d >>> 16) & 0xff]! ^
        t0[d >>> 24]!;
    }
  }
  const blockEnd = index + ((end - index) & ~7);
  while (index < blockEnd) {
    const low =
      crc ^ (data[index]! | (data[index + 1]! << 8) | (data[index + 2]! << 16) | (data[index + 3]! << 24));
    crc =
      t7[low & 0xff]! ^
      t6[(low >>> 8) & 0xff]! ^
      t5[(low >>> 16) & 0xff]! ^
      t4[low >>> 24]! ^
      t3[data[index + 4]!]! ^
      t2[data[index + 5]!]! ^
      t1[data[index + 6]!]! ^
      t0[data[index + 7]!]!;
    index += 8;
  }
  while (index < end) crc = (crc >>> 8) ^ t0[(crc ^ data[index++]!) & 0xff]!;
  return ~crc >>> 0;
}
