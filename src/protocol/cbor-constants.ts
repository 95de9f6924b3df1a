/** CBOR (RFC 8949) constants shared by the decoder and the encoder. */

export const MAJOR_UNSIGNED = 0;
export const MAJOR_NEGATIVE = 1;
export const MAJOR_BYTES = 2;
export const MAJOR_TEXT = 3;
export const MAJOR_ARRAY = 4;
export const MAJOR_MAP = 5;
export const MAJOR_TAG = 6;

export const INFO_INDEFINITE = 31;
export const BREAK = 0xff;
/** Epoch-based date/time; AWS puts MILLISECONDS under it, not RFC 8949's seconds. */
export const TAG_EPOCH = 1;
