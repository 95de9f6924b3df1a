/**
 * The one place that turns errors into wire responses: `{"__type": Code, "message": text}` in
 * the request's encoding (JSON or CBOR), the `x-amzn-ErrorType` header (JS and Java read it
 * first; botocore only reads the body), and the status.
 */
import type { ServiceError } from '../core/errors.js';
import { encodeCbor } from './cbor.js';
import { encodeJson } from './json-codec.js';
import { encodeJsonBody } from './own-json-body.js';

export type WireEncoding = 'json' | 'cbor';

export const contentTypes: Record<WireEncoding, string> = {
  json: 'application/x-amz-json-1.1',
  cbor: 'application/x-amz-cbor-1.1',
};

export function errorBody(error: ServiceError, encoding: WireEncoding): Buffer {
  const body: Record<string, unknown> = { __type: error.code };
  if (error.hasMessage) body[error.messageKey] = error.message;
  return encoding === 'cbor' ? encodeCbor(body) : Buffer.from(encodeJson(body), 'utf8');
}

export function encodeBody(value: object, encoding: WireEncoding): Buffer {
  return encoding === 'cbor' ? encodeCbor(value) : encodeJsonBody(value);
}
