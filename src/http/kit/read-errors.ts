import { AppError } from '../../errors.js';

/*
 * What a failed public read tells the reader. "Briefly unavailable, try again" (503 with Retry-After)
 * is true only when Postgres cannot be reached or is overloaded; a value Postgres refuses (SQLSTATE
 * class 22, data exception) stays refused however often it is retried, so it must not be dressed as
 * an outage (readers' widgets retry 503s, and an alert on 503s would page someone for a bad URL).
 */

// Connection exception, insufficient resources, operator intervention (shutdown, cancel, timeout),
// system error; and a serialization failure or deadlock, which a retry does clear.
const transientClasses = new Set(['08', '53', '57', '58']);
const transientCodes = new Set(['40001', '40P01']);

/** Whether `err` means the database is down or overloaded (not that the query or its values were bad). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  // No SQLSTATE: the driver's own errors (refused, reset, terminated, timed out) are all about reaching Postgres.
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return transientClasses.has(code.slice(0, 2)) || transientCodes.has(code);
}

/**
 * 503 DATABASE_UNAVAILABLE with Retry-After: 5, for an error `isDatabaseUnavailable` said is an
 * outage (or one the caller knows is). `what` names what the reader cannot have for a moment.
 */
export function databaseDown(err: unknown, what = 'Comments'): AppError {
  return AppError.of('DATABASE_UNAVAILABLE', {
    message: `${what} are briefly unavailable; please try again shortly.`,
    detail: err,
    retryAfter: 5,
  });
}

/**
 * The AppError a public read answers when its query failed: 503 DATABASE_UNAVAILABLE for an outage,
 * 400 INVALID_VALUE for a value Postgres refused (the edge checks should have stopped it; `field`
 * names what it was about), else the error itself (a 500 with an error id: a bug of ours).
 */
export function toReadError(err: unknown, field?: string): unknown {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return databaseDown(err);
  const code = (err as { code: string }).code;
  if (code.startsWith('22')) return AppError.of('INVALID_VALUE', { status: 400, field, detail: err });
  return err;
}
