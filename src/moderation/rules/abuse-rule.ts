import type { CheckContext, RuleOutcome } from '../verdict.js';

function explain(features: readonly { name: string; weight: number }[]): string {
  const why = features.map((f) => `${f.name} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`).join(', ');
  return why === '' ? '' : ` Strongest features: ${why}.`;
}

/**
 * The local abuse filter (src/abuse/): a word of the abuse lexicon, or the site's learned abuse model
 * at the site's `abuseThreshold` or more, holds the comment for a person (code ABUSE). It only ever
 * holds: a lexicon word can be a quotation or a report, and a model's guess about an insult is one a
 * moderator confirms. An untrained model abstains (the lexicon still holds); `abuseFilter: off` asks
 * neither. The message names the words found, or the strongest features, as the spam filter's does.
 */
export function abuseFilter(ctx: Pick<CheckContext, 'abuseScore' | 'settings'>): RuleOutcome | null {
  const s = ctx.abuseScore;
  if (s === null || s === undefined || ctx.settings.abuseFilter === 'off') return null;
  // 0.5 is "no evidence either way" (a text of words the model never saw): never a reason to hold.
  const learned = s.trained && s.pAbuse > 0.5 && s.pAbuse * 100 >= ctx.settings.abuseThreshold;
  if (s.words.length === 0 && !learned) return null;
  const parts: string[] = [];
  if (s.words.length > 0) parts.push(`Contains ${s.words.map((w) => `"${w}"`).join(', ')} (abuse lexicon).`);
  if (learned)
    parts.push(`The abuse filter is ${Math.floor(s.pAbuse * 1000) / 10}% sure this is abusive.${explain(s.features)}`);
  // Abuse says nothing about spam: it adds nothing to the spam score.
  return { rule: 'abuse', action: 'hold', code: 'ABUSE', message: parts.join(' '), score: 0 };
}
