/**
 * Catalog failures other than a compare-and-set conflict: the catalog could not make a write
 * durable (`Storage`), found its files damaged at open (`Corrupt`), or was used after close
 * (`Closed`). A rejected write changed nothing.
 */

export const catalogErrorCodes = ['Storage', 'Corrupt', 'Closed'] as const;
export type CatalogErrorCode = (typeof catalogErrorCodes)[number];

export class CatalogError extends Error {
  readonly code: CatalogErrorCode;
  constructor(code: CatalogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogError';
    this.code = code;
  }
}
