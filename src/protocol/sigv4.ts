/**
 * SigV4 request authentication: which credentials a request claims, and AWS's error ladder when
 * the claim is missing or malformed (reference §1.7, texts as AWS writes them).
 *
 * Only the parsing is here. Signature verification needs the canonical request (and, for JS v3
 * over HTTP/2, the `:authority` pseudo-header), so the parsed parts are all kept for it.
 */

import { ServiceError } from '../core/errors.js';

/** Header names lower-cased, as Node delivers them. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SigV4Authentication {
  /** Where the signature came from: the Authorization header or X-Amz-* query parameters. */
  readonly source: 'header' | 'query';
  /** `AWS4-HMAC-SHA256` for every SDK. */
  readonly algorithm: string;
  readonly accessKeyId: string;
  /** The request date as sent (`X-Amz-Date` basic format, or an HTTP `Date`). */
  readonly date: string;
  /** The credential scope: `<yyyymmdd>/<region>/<service>/aws4_request`. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const SCOPE_TERMINATOR = 'aws4_request';

export const incompleteSignature = (message: string): ServiceError =>
  new ServiceError('IncompleteSignatureException', message);

export const invalidSignature = (message: string): ServiceError =>
  new ServiceError('InvalidSignatureException', message);

export const missingAuthenticationToken = (): ServiceError =>
  new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');

/**
 * Parses a request's SigV4 authentication, or throws the first rung of AWS's ladder it fails:
 * both forms → InvalidSignature; neither → MissingAuthenticationToken; missing parts →
 * IncompleteSignature listing every missing part.
 */
export function parseSigV4(headers: RequestHeaders, query: URLSearchParams): SigV4Authentication {
  const authorization = firstHeader(headers, 'authorization');
  const hasQueryAuth = query.has('X-Amz-Algorithm');
  if (authorization !== undefined && hasQueryAuth) {
    throw invalidSignature(
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if (authorization !== undefined) return parseHeaderAuth(authorization, headers);
  if (hasQueryAuth) return parseQueryAuth(query);
  throw missingAuthenticationToken();
}

function parseHeaderAuth(authorization: string, headers: RequestHeaders): SigV4Authentication {
  // `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; clients differ in the
  // separators, so split on commas and spaces alike.
  const [algorithm = '', ...parts] = authorization.split(/[,\s]+/).filter((part) => part !== '');
  const params = new Map<string, string>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals > 0) params.set(part.slice(0, equals), part.slice(equals + 1));
  }
  const date = firstHeader(headers, 'x-amz-date') ?? firstHeader(headers, 'date');
  let message = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.get(name)) message += `Authorization header requires '${name}' parameter. `;
  }
  if (!date) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (message !== '') throw incompleteSignature(`${message}Authorization=${authorization}`);
  return build(
    'header',
    algorithm,
    params.get('Credential')!,
    date!,
    params.get('SignedHeaders')!,
    params.get('Signature')!,
  );
}

function parseQueryAuth(query: URLSearchParams): SigV4Authentication {
  const names = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Signature',
    'X-Amz-SignedHeaders',
    'X-Amz-Date',
  ];
  let message = '';
  for (const name of names) {
    if (!query.get(name)) message += `AWS query-string parameters must include '${name}'. `;
  }
  if (message !== '') throw incompleteSignature(`${message}Re-examine the query-string parameters.`);
  return build(
    'query',
    query.get('X-Amz-Algorithm')!,
    query.get('X-Amz-Credential')!,
    query.get('X-Amz-Date')!,
    query.get('X-Amz-SignedHeaders')!,
    query.get('X-Amz-Signature')!,
  );
}

function build(
  source: 'header' | 'query',
  algorithm: string,
  credential: string,
  date: string,
  signedHeaders: string,
  signature: string,
): SigV4Authentication {
  const scope = credential.split('/');
  const terminator = scope.at(-1);
  // The text is inferred from AWS's other scope messages; SDKs always send five parts.
  if (scope.length !== 5 || terminator !== SCOPE_TERMINATOR) {
    throw incompleteSignature(
      `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator ?? ''}'.`,
    );
  }
  const [accessKeyId, scopeDate, region, service] = scope as [string, string, string, string, string];
  return {
    source,
    algorithm,
    accessKeyId,
    date,
    scopeDate,
    region,
    service,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

function firstHeader(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * The account a request acts for: an access key id of exactly 12 digits IS the account id (the
 * LocalStack / kinesis-mock multi-account convention); any other key uses the default account.
 */
export function accountIdFor(accessKeyId: string, defaultAccountId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccountId;
}
