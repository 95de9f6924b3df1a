/**
 * The Glue Data Catalog's errors, with the texts AWS sends (as recorded by moto's Glue
 * backend, which mirrors them): `Database <name> not found.`, `Table <name> not found.`,
 * `Database already exists.`, `Table already exists.`.
 */
import { ServiceError } from '../core/errors.js';

export const databaseNotFound = (name: string): ServiceError =>
  new ServiceError('EntityNotFoundException', `Database ${name} not found.`);

export const tableNotFound = (name: string): ServiceError =>
  new ServiceError('EntityNotFoundException', `Table ${name} not found.`);

export const versionNotFound = (): ServiceError =>
  new ServiceError('EntityNotFoundException', 'Version not found.');

export const alreadyExists = (kind: 'Database' | 'Table'): ServiceError =>
  new ServiceError('AlreadyExistsException', `${kind} already exists.`);

export const invalidInput = (message: string): ServiceError =>
  new ServiceError('InvalidInputException', message);

export const concurrentModification = (message: string): ServiceError =>
  new ServiceError('ConcurrentModificationException', message);
