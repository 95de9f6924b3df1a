/**
 * Why one record failed conversion, with the error code Firehose writes in the
 * `format-conversion-failed` error output: `DataFormatConversion.ParseError` when the record is
 * not JSON objects, `DataFormatConversion.MalformedData` when a value does not fit its column.
 */

export type ConversionErrorCode = 'DataFormatConversion.ParseError' | 'DataFormatConversion.MalformedData';

export class ConversionError extends Error {
  override readonly name = 'ConversionError';
  readonly code: ConversionErrorCode;
  constructor(code: ConversionErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const malformed = (message: string): ConversionError =>
  new ConversionError('DataFormatConversion.MalformedData', message);

export const parseError = (message: string): ConversionError =>
  new ConversionError('DataFormatConversion.ParseError', message);
