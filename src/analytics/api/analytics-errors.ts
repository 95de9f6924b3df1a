/**
 * The Kinesis Analytics exceptions of the model that Streams has no factory for. All are HTTP
 * 400. AWS publishes no message texts for this (retired) service; ours name the resource and the
 * rule, in the style of its sibling services (docs/compatibility.md).
 */
import { ServiceError } from '../../core/errors.js';

export const codeValidation = (message: string): ServiceError =>
  new ServiceError('CodeValidationException', message);

export const concurrentModification = (message: string): ServiceError =>
  new ServiceError('ConcurrentModificationException', message);

export const unsupportedOperation = (message: string): ServiceError =>
  new ServiceError('UnsupportedOperationException', message);

export const tooManyTags = (message: string): ServiceError =>
  new ServiceError('TooManyTagsException', message);

export const invalidApplicationConfiguration = (message: string): ServiceError =>
  new ServiceError('InvalidApplicationConfigurationException', message);

export const unableToDetectSchema = (message: string): ServiceError =>
  new ServiceError('UnableToDetectSchemaException', message);

export const applicationNotFound = (name: string, accountId: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Application ${name} is not found in account ${accountId}.`);
