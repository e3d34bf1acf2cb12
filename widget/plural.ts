/*
 * Words that change with a number ("1 comment", "2 komentarze", "5 komentarzy") are written as one
 * form per plural category of the language; Intl.PluralRules picks the form, so no language file holds
 * an `n === 1` test that is wrong for Polish, Russian or Arabic. Pure: the unit tests call it directly.
 */

/** One text per CLDR plural category the language uses; `#` stands for the number. `other` is always there. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The form of `forms` that the language's plural rules choose for `n`, with the number put in. */
export function plural(lang: string, n: number, forms: PluralForms): string {
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(lang).format(n));
}
