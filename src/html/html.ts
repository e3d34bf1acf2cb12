import escapeHtml from 'escape-html';

/** A value already safe to place in HTML (sanitised comment HTML, or markup built by `html`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | null | undefined | readonly Interpolation[];

function toHtml(v: Interpolation): string {
  if (v === null || v === undefined) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(toHtml).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template that escapes every interpolated value unless it is SafeHtml, so reader text can
 * only ever land in a page as text.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += toHtml(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Marks markup as safe to place as-is: stored, sanitised comment HTML, or a literal fragment of ours.
 * Named for what the string is (markup), not "trusted": in these pages a trusted *author* is a
 * moderation state, and a reader's text never becomes markup by passing through here unsanitised.
 */
export function markup(value: string): SafeHtml {
  return new SafeHtml(value);
}

/** A whole page with the shared stylesheet; `dir` "rtl" for a language written right to left. */
export function layout(title: string, body: SafeHtml, lang = 'en', dir: 'ltr' | 'rtl' = 'ltr'): string {
  return html`<!doctype html>
<html lang="${lang}"${dir === 'rtl' ? markup(' dir="rtl"') : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/assets/reply-desk.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
${body}
</body>
</html>
`.value;
}
