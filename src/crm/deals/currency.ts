import { invalid } from '../../shared/domainError.ts';

// ICU's list of currencies in current use (ISO 4217 without withdrawn codes and without
// the funds/metal codes such as XAU), shipped with Node, so the list updates with Node.
const activeCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isActiveCurrency = (code: string): boolean => activeCurrencies.has(code);

/** Refuses a code that is not an active ISO 4217 currency, naming the field. */
export function assertActiveCurrency(field: string, code: string): void {
  if (!isActiveCurrency(code)) throw invalid(field, 'not an active ISO 4217 currency code (e.g. EUR, USD)');
}
