/**
 * CRC32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78): the checksum that frames
 * log records. Table-driven slicing-by-8: eight 256-entry tables let the loop fold eight input
 * bytes per step, which is several times faster than the byte-at-a-time loop in plain JS.
 *
 * `crc32c(b, crc32c(a))` equals `crc32c(a ++ b)`, so a checksum can be built over several
 * ranges without copying them together.
 */

const reflectedPolynomial = 0x82f63b78;

const tables = buildTables();
const t0 = tables.subarray(0, 256);
const t1 = tables.subarray(256, 512);
const t2 = tables.subarray(512, 768);
const t3 = tables.subarray(768, 1024);
const t4 = tables.subarray(1024, 1280);
const t5 = tables.subarray(1280, 1536);
const t6 = tables.subarray(1536, 1792);
const t7 = tables.subarray(1792, 2048);

function buildTables(): Uint32Array {
  const result = new Uint32Array(8 * 256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ reflectedPolynomial : crc >>> 1;
    result[byte] = crc;
  }
  for (let byte = 0; byte < 256; byte++) {
    for (let slice = 1; slice < 8; slice++) {
      const previous = result[(slice - 1) * 256 + byte]!;
      result[slice * 256 + byte] = (previous >>> 8) ^ result[previous & 0xff]!;
    }
  }
  return result;
}

/** The CRC32C of `data`, continuing from `initial` (the CRC of the bytes before it). */
export function crc32c(data: Uint8Array, initial = 0): number {
  return crc32cRange(data, 0, data.length, initial);
}

/** The CRC32C of `data[start, end)` without making a view of it (the append path is hot). */
export function crc32cRange(data: Uint8Array, start: number, end: number, initial = 0): number {
  let crc = ~initial;
  let index = start;
  const blockEnd = start + ((end - start) & ~7);
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
