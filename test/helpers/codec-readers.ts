/**
 * Readers for compressed objects written with standard tools rather than our decoders: Debian's
 * python3-snappy has no reader for the xerial snappy-java stream (Firehose's `Snappy`), so this
 * script reads its header and length-prefixed blocks and decodes each with python-snappy's raw
 * block decoder. Run as `python3 -c XERIAL_READER FILE`; it writes the data to stdout and the
 * number of blocks to stderr.
 */
export const XERIAL_READER = `
import struct, sys, snappy
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\\x82SNAPPY\\x00', data[:8]
assert struct.unpack('>ii', data[8:16]) == (1, 1)
out, at, blocks = [], 16, 0
while at < len(data):
    (length,) = struct.unpack('>i', data[at:at + 4])
    out.append(snappy.uncompress(data[at + 4:at + 4 + length]))
    at += 4 + length
    blocks += 1
sys.stderr.write(str(blocks))
sys.stdout.buffer.write(b''.join(out))
`;
