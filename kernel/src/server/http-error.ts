/** An error that becomes an HTTP response with this status and a JSON `{ message, reason }` body. */
import { StorageError } from '../storage/errors.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const STORAGE_STATUS = { 'not-found': 404, forbidden: 403, invalid: 400, conflict: 409, unavailable: 503 } as const;

export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof StorageError) return new HttpError(STORAGE_STATUS[error.kind], error.message);
  return new HttpError(500, error instanceof Error ? error.message : String(error));
}
