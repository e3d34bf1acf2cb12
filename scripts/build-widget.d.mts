/** Types of scripts/build-widget.mjs for the TypeScript tests that build the widget. */
export declare const defaultWidgetDir: string;

export interface WidgetManifest {
  /** File name of embed.js, the classic script that imports the widget module, e.g. `embed.3F2K1XQZ.js`. */
  embed: string;
  /** File name of the comment-count script. */
  count: string;
  /** File name of the reader's part (an ES module embed.js imports on demand), e.g. `reader.5HQ2M7RB.js`. */
  reader: string;
  /** File name of the conversation part (badges, picks, votes, sort, live), e.g. `conversation.7JD2K4QA.js`. */
  conversation: string;
  /** Every file of the build: these, the widget module, the shared chunks and the on-demand ones. */
  files: string[];
}

export declare function buildWidget(options?: { outdir?: string }): Promise<{
  outdir: string;
  manifest: WidgetManifest;
  files: Record<string, Uint8Array>;
  /** Every file esbuild bundled, relative to the project root. */
  inputs: string[];
  /** What a guest reading a plain thread downloads, embed.js first. */
  plainThread: string[];
}>;

export declare const defaultDeskDir: string;

/** Builds the moderators' desk script (widget/desk/) into `outdir`/admin.js (default dist/desk/). */
export declare function buildDesk(options?: { outdir?: string }): Promise<{
  outdir: string;
  path: string;
  contents: Uint8Array;
  /** Every file esbuild bundled, relative to the project root. */
  inputs: string[];
}>;
