import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/spam/plain-text.js';

describe('toPlainText', () => {
  it.each<[string, string, string]>([
    ['plain text', 'check out my channel', 'check out my channel'],
    ['a numeric character reference', 'don&#39;t', "don't"],
    ['a hexadecimal one', 'caf&#xe9;', 'café'],
    ['named entities', 'Tom &amp; Jerry &lt;3 &quot;hi&quot;', 'Tom & Jerry <3 "hi"'],
    ['an unknown entity, left alone', 'a &bogus; b', 'a &bogus; b'],
    ['a line break', 'one<br />two', 'one two'],
    [
      'an anchor: its address, once',
      'see <a href="https://x.example/p">https://x.example/p</a>!',
      'see  https://x.example/p !',
    ],
    ['other tags', '<b>bold</b> and <span class="c">span</span>', ' bold  and  span '],
    ['escaped markup stays text', '&lt;b&gt;not bold&lt;/b&gt;', '<b>not bold</b>'],
    ['a lone less-than sign', '3 < 5 and 5 > 3', '3 < 5 and 5 > 3'],
  ])('%s', (_case, input, expected) => {
    expect(toPlainText(input)).toBe(expected);
  });
});
