import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { isDatabaseUnavailable, toReadError } from '../../src/http/kit/read-errors.js';

const pgError = (code: string): Error => Object.assign(new Error(`pg ${code}`), { code });

describe('a failed public read is a 503 only when the database is', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['admin shutdown 57P01', pgError('57P01')],
    ['cannot connect now 57P03', pgError('57P03')],
    ['statement timeout 57014', pgError('57014')],
    ['too many connections 53300', pgError('53300')],
    ['connection failure 08006', pgError('08006')],
    ['serialization failure 40001', pgError('40001')],
  ])('%s → 503 DATABASE_UNAVAILABLE', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(toReadError(err)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: 5 });
  });

  it.each([
    ['invalid byte sequence (a NUL in text) 22021', '22021'],
    ['invalid text representation 22P02', '22P02'],
    ['string too long 22001', '22001'],
  ])('a data error, %s, is a 400 naming the field, never a 503', (_name, code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(false);
    expect(toReadError(pgError(code), 'page')).toMatchObject({ status: 400, code: 'INVALID_VALUE', field: 'page' });
  });

  it('any other SQL error is ours (a 500 with an error id), not an outage', () => {
    const err = pgError('42703');
    expect(toReadError(err)).toBe(err);
  });

  it('an AppError passes as it is', () => {
    const e = AppError.of('UNKNOWN_PAGE');
    expect(toReadError(e)).toBe(e);
  });
});
