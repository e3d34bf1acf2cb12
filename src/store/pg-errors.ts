/**
 * What a Postgres error says about the rows it was given. SQLSTATE class 22 (data exception: a NUL
 * byte in text, a bad uuid or number) and class 23 (integrity constraint violation) are about the
 * values sent: the same values fail the same way on every retry, and other values in the same
 * statement would have succeeded. Everything else (class 08 connection, 53 resources, 57 operator
 * intervention such as a shutdown or a cancelled statement, or no SQLSTATE at all: a socket error,
 * a timeout) is about the database, and may pass.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
