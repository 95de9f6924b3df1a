/**
 * A fast path for large JSON responses: an output object may carry, under the `ownJsonBody`
 * symbol, a function that writes its own `application/x-amz-json-1.1` body straight into a
 * Buffer. Its bytes must equal what `encodeJson` gives for the same object (the test
 * `records-json.test.ts` checks that for GetRecords); the CBOR encoder and in-process callers
 * never see the symbol (it is not an enumerable string key).
 *
 * Why: GetRecords answers up to 10,000 records. Through `encodeJson` each record is copied into a
 * JSON-ready object, the whole answer becomes one large string and that string is then encoded
 * to UTF-8 again; measured in process, that was about two thirds of the CPU a drain costs.
 */
import { encodeJson } from './json-codec.js';

export const ownJsonBody = Symbol('ownJsonBody');

interface WithOwnJsonBody {
  readonly [ownJsonBody]?: () => Buffer;
}

/** The JSON body of a response: its own writer when it has one, else `encodeJson`. */
export function encodeJsonBody(value: object): Buffer {
  const writer = (value as WithOwnJsonBody)[ownJsonBody];
  return writer !== undefined ? writer() : Buffer.from(encodeJson(value), 'utf8');
}
