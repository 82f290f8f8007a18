/**
 * Plural forms for counts shown to the user. `vscode.l10n` has no plural API, so a caller translates both
 * sentences (`'{0} volume'`, `'{0} volumes'`) and this picks one by the display language's rules: English
 * says "0 volumes" but French says "0 volume", and a few languages have more forms, which fall back to `other`.
 */
export function byCount(count: number, locale: string, one: string, other: string): string {
  return pluralRules(locale).select(count) === 'one' ? one : other;
}

const rulesByLocale = new Map<string, Intl.PluralRules>();

function pluralRules(locale: string): Intl.PluralRules {
  let rules = rulesByLocale.get(locale);
  if (!rules) {
    try {
      rules = new Intl.PluralRules(locale);
    } catch {
      // A display language Intl does not know (a malformed tag) still gets a rule rather than an error.
      rules = new Intl.PluralRules('en');
    }
    rulesByLocale.set(locale, rules);
  }
  return rules;
}

/** A number as the display language writes it ("0.5" in English, "0,5" in French). */
export function numberText(value: number, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  } catch {
    return new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(value);
  }
}
