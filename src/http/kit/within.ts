/**
 * `work`, or a rejection with Error('timeout') after `ms`: for answers that must come back whatever a
 * dependency does (readiness probes, metrics scrapes). The work itself is not cancelled; the timer is
 * cleared either way, so nothing keeps the process alive.
 */
export async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
