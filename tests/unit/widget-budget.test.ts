import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.mjs';

/*
 * The size budget of issue 4, measured on a fresh production build: what a reader downloads for the
 * widget (embed.js with its CSS inlined) and for count.js, gzipped as a server would send them.
 * PRODUCT.md §5: Cusdis ~5 KB, Isso 20 KB, Remark42 2.5 KB loader + 60 KB app, Disqus ~450 KB.
 */
const EMBED_BUDGET = 12 * 1024;
const COUNT_BUDGET = 1024;

describe('the widget size budget', () => {
  it('embed.js with its CSS is at most 12 KB gzipped and count.js at most 1 KB', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'rd-widget-budget-'));
    try {
      const { manifest, files } = await buildWidget({ outdir });
      const gz = (name: string): number => gzipSync(files[name] ?? new Uint8Array(), { level: 9 }).length;
      const embed = gz(manifest.embed);
      const count = gz(manifest.count);
      // The CSS is in the bundle (a constructed stylesheet), so embed.js is all of it.
      expect(Object.keys(files).filter((f) => f.endsWith('.css'))).toEqual([]);
      console.log(
        `widget sizes gzipped: embed.js ${embed} B (budget ${EMBED_BUDGET}), count.js ${count} B (budget ${COUNT_BUDGET})`,
      );
      expect(embed).toBeGreaterThan(1000);
      expect(embed).toBeLessThanOrEqual(EMBED_BUDGET);
      expect(count).toBeLessThanOrEqual(COUNT_BUDGET);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
