/** Failures of the storage layer, each with a kind the HTTP layer maps to a status code. */
export type StorageErrorKind = 'not-found' | 'forbidden' | 'invalid' | 'conflict' | 'unavailable';

export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function isNodeError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
