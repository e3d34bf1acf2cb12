import { describe, expect, it } from 'vitest';
import { expectedWait, formatWait } from '../../src/domain/pages/expected-wait.js';

describe("the queue's expected wait: held backlog ÷ decisions per minute over the last hour", () => {
  it.each([
    ['120 held, 288 decided in the hour (4.8 a minute)', 120, 288, 25],
    ['31 held, 2 decided', 31, 2, 930],
    ['nothing held', 0, 0, 0],
    ['held, but nobody decided anything: no pace to go by', 10, 0, null],
    ['1 held, 600 decided: under a minute rounds up', 1, 600, 1],
  ])('%s', (_name, backlog, decided, minutes) => {
    expect(expectedWait(backlog, decided).minutes).toBe(minutes);
  });

  it.each([
    [0, 'none'],
    [1, 'about 1 minute'],
    [25, 'about 25 minutes'],
    [89, 'about 89 minutes'],
    [930, 'about 16 hours'],
    [4000, 'about 3 days'],
  ])('%i minutes read "%s"', (minutes, words) => {
    expect(formatWait(minutes)).toBe(words);
  });
});
