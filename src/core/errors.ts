/**
 * Operating errors: the typed errors that reach a client as an AWS error response.
 *
 * A `ServiceError` carries the AWS error code (`__type`), the HTTP status and AWS's message
 * text; `protocol/error-response.ts` is the one place that renders it on the wire. Programmer
 * errors are never `ServiceError`s: they are assertion failures (`core/assert.ts`) and surface as
 * `InternalFailure` after being logged.
 */

export interface ServiceErrorOptions {
  /** HTTP status; AWS answers 400 for every client fault. */
  readonly status?: number;
  readonly cause?: unknown;
  /**
   * AWS writes `message` for modelled exceptions but `Message` for the Coral layer's
   * `SerializationException`; clients accept either, we match AWS.
   */
  readonly messageKey?: 'message' | 'Message';
}

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messageKey: 'message' | 'Message';
  /** False when AWS sends no message at all (UnknownOperationException). */
  readonly hasMessage: boolean;

  constructor(code: string, message: string | undefined, options: ServiceErrorOptions = {}) {
    super(message ?? code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.messageKey = options.messageKey ?? 'message';
    this.hasMessage = message !== undefined;
  }
}

export const invalidArgument = (message: string): ServiceError =>
  new ServiceError('InvalidArgumentException', message);

export const resourceNotFound = (message: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', message);

export const resourceInUse = (message: string): ServiceError =>
  new ServiceError('ResourceInUseException', message);

export const limitExceeded = (message: string): ServiceError =>
  new ServiceError('LimitExceededException', message);

export const validationError = (message: string): ServiceError =>
  new ServiceError('ValidationException', message);

export const serializationError = (message?: string): ServiceError =>
  new ServiceError('SerializationException', message, { messageKey: 'Message' });

export const expiredIterator = (message: string): ServiceError =>
  new ServiceError('ExpiredIteratorException', message);

export const expiredNextToken = (message: string): ServiceError =>
  new ServiceError('ExpiredNextTokenException', message);

export const unknownOperation = (): ServiceError => new ServiceError('UnknownOperationException', undefined);

export const internalFailure = (cause?: unknown): ServiceError =>
  new ServiceError('InternalFailure', 'Internal Service Failure', { status: 500, cause });

/** Storage could not take the write (disk full, I/O error): the client may retry later. */
export const serviceUnavailable = (message: string, cause?: unknown): ServiceError =>
  new ServiceError('ServiceUnavailable', message, { status: 503, cause });

/**
 * The answer to a data-plane call with `DryRun: true` that would have succeeded: every check ran,
 * nothing was done (the error of the newest Kinesis model).
 */
export function refuseDryRun(input: { readonly DryRun?: boolean }): void {
  if (input.DryRun === true) {
    throw new ServiceError(
      'DryRunOperationException',
      'The request was rejected because the DryRun parameter was specified.',
    );
  }
}
