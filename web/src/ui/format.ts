// How values read in the app. The browser's language decides date and number formats.
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const count = new Intl.NumberFormat();

/** A machine key as words: sales_qualified_lead → "Sales qualified lead". */
export function humanise(key: string): string {
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const formatDate = (iso: string) => date.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatCount = (value: number) => count.format(value);

/** An amount in minor units (cents) of an ISO currency. */
export const formatMoney = (minor: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** currencyDigits(currency));

/** How many minor units a currency has after the point: 2 for EUR, 0 for JPY. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}
