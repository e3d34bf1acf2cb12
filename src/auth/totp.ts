import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/*
 * TOTP as every authenticator app speaks it (RFC 6238 with SHA-1, 6 digits, 30 s: otplib's defaults),
 * through otplib. A code is accepted from the step before to the step after now (a phone's clock a
 * little off, a code typed as it turned), and only once: `afterStep` is the last step accepted, and a
 * code of that step or earlier is refused (RFC 6238 §5.2).
 */

/** The issuer authenticator apps show next to the account. */
export const TOTP_ISSUER = 'Reply Desk';

/** ±30 s: one step either side of now. */
const TOLERANCE_SECONDS = 30;

/** A new base32 secret (otplib's default: 20 random bytes, above RFC 4226's 16-byte minimum). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, accountEmail: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountEmail, secret });
}

/** The QR code of the URI as an SVG data URL, for an `<img>` (the desk's CSP allows data: images). */
export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** What a typed code is: six digits (spaces allowed, as apps show "123 456"), or null. */
export function toTotpCode(typed: string): string | null {
  const digits = typed.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The time step the code belongs to when it is valid now and newer than `afterStep`; else null. */
export async function checkTotp(
  secret: string,
  code: string,
  afterStep: number | null,
  now: Date = new Date(),
): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
