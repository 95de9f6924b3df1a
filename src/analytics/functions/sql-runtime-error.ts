/**
 * The error a row's evaluation raises for bad data (a failed conversion, a division by zero, a
 * bad REGEX_REPLACE argument). It never stops the application: the row goes to error_stream
 * with `errorName` as ERROR_NAME and the message as MESSAGE, and processing continues.
 */
export class SqlRuntimeError extends Error {
  override readonly name = 'SqlRuntimeError';
  readonly errorName: string;

  constructor(errorName: string, message: string) {
    super(message);
    this.errorName = errorName;
  }
}

export const conversionError = (message: string): SqlRuntimeError =>
  new SqlRuntimeError('ConversionError', message);
