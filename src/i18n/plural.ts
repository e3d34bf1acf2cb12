/*
 * The server's copy of widget/plural.ts (the widget is bundled for browsers, the server compiled for
 * Node; neither imports the other): one text per CLDR plural category, chosen by Intl.PluralRules.
 */

/** One text per plural category the language uses; `#` stands for the number. `other` is always there. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The form of `forms` that the language's plural rules choose for `n`, with the number put in. */
export function plural(lang: string, n: number, forms: PluralForms): string {
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(lang).format(n));
}
