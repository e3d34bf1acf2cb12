import { errorCatalogue, type ErrorCode } from './error-catalogue.js';

/** One field problem, as the widget shows it inline. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

type CatalogueStatus<C extends ErrorCode> = (typeof errorCatalogue)[C]['status'];

/**
 * The status a caller gives: none for a code with one status (the catalogue's), one of the listed
 * ones for a code with several, any 4xx for BAD_REQUEST. Distributes over a union of codes (a rule's
 * `code` that is one of a few), so each member's statuses stay allowed.
 */
type StatusOption<C extends ErrorCode> = C extends unknown
  ? CatalogueStatus<C> extends readonly (infer S)[]
    ? { status: S }
    : CatalogueStatus<C> extends '4xx'
      ? { status: number }
      : { status?: never }
  : never;

/** What one raise may add to its catalogue entry; everything but a listed code's status is optional. */
export type AppErrorOptions<C extends ErrorCode> = StatusOption<C> & {
  /** The public message, when this place has a better one than the catalogue's default. */
  message?: string;
  /** The offending field (query parameter, body field, `path`). */
  field?: string | undefined;
  /** Every field problem, for a 422 with several. */
  fieldErrors?: FieldError[];
  /** Private: for the logs only, never sent. */
  detail?: unknown;
  /** Seconds a client should wait before retrying (sets `Retry-After`). */
  retryAfter?: number;
};

/** The options as the constructor reads them, whatever the code. */
type RaisedOptions = Omit<AppErrorOptions<ErrorCode>, 'status'> & { status?: number };

/** Options may be left out when the code needs no status from the caller. */
type OptionsArgs<C extends ErrorCode> =
  { status?: never } extends StatusOption<C> ? [options?: AppErrorOptions<C>] : [options: AppErrorOptions<C>];

/**
 * An expected failure with a stable UPPER_SNAKE `code` clients can switch on, the HTTP status, the
 * offending field, a public message, and private `detail` for the logs only. Raised by code from the
 * catalogue (src/error-catalogue.ts), which holds each code's status and default message:
 * `AppError.of('NOT_FOUND', { message: 'No such webhook.' })`.
 */
export class AppError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly detail: unknown;
  readonly retryAfter: number | undefined;

  private constructor(
    /** A catalogue code, or (through `fields`) the code of the first field problem. */
    readonly code: string,
    status: number,
    message: string,
    options: RaisedOptions,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.field = options.field;
    this.fieldErrors = options.fieldErrors ?? [];
    this.detail = options.detail;
    this.retryAfter = options.retryAfter;
  }

  /** The error of a catalogue code; its status and message come from the catalogue unless given. */
  static of<C extends ErrorCode>(code: C, ...[options]: OptionsArgs<C>): AppError {
    const entry = errorCatalogue[code];
    // The generic options, read as the plain shape every C shares.
    const o = (options ?? {}) as RaisedOptions;
    const status = typeof entry.status === 'number' ? entry.status : o.status;
    // Only a caller that bypasses the types (a code from data) can get here without a status.
    if (typeof status !== 'number') throw new Error(`AppError.of('${code}') needs a status`);
    return new AppError(code, status, o.message ?? entry.message, o);
  }

  /**
   * A 422 for one or more field problems; the first one names the error. Its code is a field code
   * (REQUIRED, TOO_LONG, INVALID_EMAIL, …), which the catalogue lists with 422 among its statuses.
   */
  static fields(errors: FieldError[]): AppError {
    const first = errors[0];
    if (!first) throw new Error('AppError.fields needs at least one error');
    return new AppError(first.code, 422, first.message, { field: first.field, fieldErrors: errors });
  }
}
