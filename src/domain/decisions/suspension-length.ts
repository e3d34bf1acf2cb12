/*
 * How long a suspension lasts (issue 16): a moderator gives N hours or N days, at most a year; longer
 * than that is a ban, which the desk already has and which says so.
 */

export const suspensionUnits = ['hours', 'days'] as const;
export type SuspensionUnit = (typeof suspensionUnits)[number];

const HOUR_MS = 3_600_000;
export const MAX_SUSPENSION_MS = 365 * 24 * HOUR_MS;

/** The end of a suspension of `amount` `unit` from `now`, or null when that is no whole, positive length up to a year. */
export function suspensionEnd(amount: string | number, unit: string, now: Date): Date | null {
  const n = typeof amount === 'number' ? amount : /^\s*[0-9]{1,6}\s*$/.test(amount) ? Number(amount) : NaN;
  if (!Number.isInteger(n) || n < 1 || !(suspensionUnits as readonly string[]).includes(unit)) return null;
  const ms = n * (unit === 'days' ? 24 : 1) * HOUR_MS;
  return ms > MAX_SUSPENSION_MS ? null : new Date(now.getTime() + ms);
}

/** Seconds until `endsAt` (the refusal's Retry-After), at least 1. */
export function secondsUntil(endsAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000));
}

/** "2026-12-07 10:00 UTC": the end time as the refusal and the desk write it. */
export function formatEnd(endsAt: Date): string {
  return `${endsAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}
