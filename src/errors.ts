/** One field problem, as the widget shows it inline. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * An expected failure with a stable UPPER_SNAKE `code` clients can switch on, the HTTP status, the
 * offending field, a public message, and private `detail` for the logs only.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly fieldErrors: FieldError[] = [],
    readonly detail?: unknown,
    /** Seconds a client should wait before retrying (sets `Retry-After`). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** A 422 for one or more field problems; the first one names the error. */
  static fields(errors: FieldError[]): AppError {
    const first = errors[0];
    if (!first) throw new Error('AppError.fields needs at least one error');
    return new AppError(422, first.code, first.message, first.field, errors);
  }
}
