/**
 * A delivery stream's last delivery errors for the console's "Last errors" panel:
 *
 *   GET /_tributary/firehose/errors?DeliveryStreamName=<name>
 *
 * answers `application/json`:
 *
 *   {"DeliveryStreamName":"…","TotalErrorCount":n,
 *    "Errors":[{"Timestamp":<epoch seconds>,"Destination":"ExtendedS3","ErrorCode":"Lambda.FunctionError",
 *               "ErrorMessage":"…","AttemptsMade":1,"RecordCount":2,"Outcome":"ErrorOutputPrefix"},…]}
 *
 * newest first, at most `limits.deliveryErrorsKeptMax` (`delivery-errors.ts`); TotalErrorCount
 * counts every error recorded since the server started. The account and region come from the
 * request's SigV4 credentials, as for the API; a request without them gets AWS's
 * MissingAuthenticationTokenException, an unknown delivery stream a 404 with
 * ResourceNotFoundException and the API's message.
 */
import { invalidArgument, ServiceError } from '../core/errors.js';
import type { RequestScope } from '../core/request-scope.js';
import type { DeliveryError } from '../firehose/delivery/delivery-errors.js';
import {
  requestScope,
  sendConsoleError,
  type ConsoleRequest,
  type ConsoleResponse,
  type ScopeDefaults,
} from './console-request.js';

export const firehoseErrorsPath = '/_tributary/firehose/errors';

export interface FirehoseErrorsOptions extends ScopeDefaults {
  /** The delivery stream's errors; throws ResourceNotFoundException when there is no such stream. */
  readonly lastErrors: (scope: RequestScope, name: string) => { errors: DeliveryError[]; total: number };
}

export function handleFirehoseErrors(
  options: FirehoseErrorsOptions,
  request: ConsoleRequest,
  response: ConsoleResponse,
): void {
  request.resume();
  let body: string;
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const scope = requestScope(request, url, options);
    const name = url.searchParams.get('DeliveryStreamName');
    if (name === null || name === '')
      throw invalidArgument('Query parameter DeliveryStreamName is required.');
    const { errors, total } = options.lastErrors(scope, name);
    body = `${JSON.stringify({
      DeliveryStreamName: name,
      TotalErrorCount: total,
      Errors: errors.map((error) => ({
        Timestamp: error.timeMs / 1000,
        Destination: error.destination,
        ErrorCode: error.errorCode,
        ErrorMessage: error.errorMessage,
        AttemptsMade: error.attempts,
        RecordCount: error.records,
        Outcome: error.outcome,
      })),
    })}\n`;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    sendConsoleError(request, response, error);
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}
