import { describe, expect, it } from 'vitest';
import { toTrainingDelta } from '../../src/spam/spam-store.js';

const counts = (d: ReturnType<typeof toTrainingDelta>) => Object.fromEntries([...d.features].map(([id, c]) => [id, c]));

describe('toTrainingDelta', () => {
  it('learns a new example: its features once each, one example, its feature total', () => {
    const d = toTrainingDelta([{ example: 'c1', label: 'spam', features: [1, 2, 2, 3] }], []);
    expect(counts(d)).toEqual({ 1: [1, 0], 2: [1, 0], 3: [1, 0] });
    expect(d).toMatchObject({ spamDocs: 1, hamDocs: 0, spamFeatures: 3, hamFeatures: 0, deletes: [] });
    expect(d.upserts).toEqual([{ example: 'c1', label: 'spam', features: [1, 2, 3] }]);
    expect(d.result).toEqual({ learned: 1, relabelled: 0, forgotten: 0, unchanged: 0 });
  });

  it('leaves an example already learned with the same label alone', () => {
    const d = toTrainingDelta(
      [{ example: 'c1', label: 'ham', features: [9] }],
      [{ example: 'c1', label: 'ham', features: [1, 2] }],
    );
    expect(d.features.size).toBe(0);
    expect(d.upserts).toEqual([]);
    expect(d.result.unchanged).toBe(1);
  });

  it('relabels exactly: the stored features are unlearned, the current ones learned', () => {
    const d = toTrainingDelta(
      [{ example: 'c1', label: 'ham', features: [2, 3] }],
      [{ example: 'c1', label: 'spam', features: [1, 2] }],
    );
    expect(counts(d)).toEqual({ 1: [-1, 0], 2: [-1, 1], 3: [0, 1] });
    expect(d).toMatchObject({ spamDocs: -1, hamDocs: 1, spamFeatures: -2, hamFeatures: 2 });
    expect(d.result.relabelled).toBe(1);
  });

  it('forgets an example: its stored features are unlearned and its row deleted', () => {
    const d = toTrainingDelta(
      [{ example: 'c1', label: null, features: [] }],
      [{ example: 'c1', label: 'ham', features: [4] }],
    );
    expect(counts(d)).toEqual({ 4: [0, -1] });
    expect(d.deletes).toEqual(['c1']);
    expect(d.result.forgotten).toBe(1);
  });

  it('takes the last word on an example within a batch, and drops features whose changes cancel out', () => {
    const d = toTrainingDelta(
      [
        { example: 'c1', label: 'spam', features: [1] },
        { example: 'c1', label: 'ham', features: [1] },
      ],
      [{ example: 'c1', label: 'spam', features: [1] }],
    );
    expect(counts(d)).toEqual({ 1: [-1, 1] });
    const cancelled = toTrainingDelta(
      [{ example: 'c2', label: 'ham', features: [5] }],
      [{ example: 'c2', label: 'spam', features: [6] }],
    );
    expect(counts(cancelled)).toEqual({ 5: [0, 1], 6: [-1, 0] });
  });
});
