import { formatDate, formatDateTime, formatMoney } from '../../ui/format.ts';

/*
 * The records of the portal's data come as the subject access gives them (objects with an id
 * and named values); these read one value of one as text, or null when it is not there.
 */

export type LooseRecord = { id: string; [key: string]: unknown };

export const textIn = (record: LooseRecord, key: string): string | null => {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
};

export const numberIn = (record: LooseRecord, key: string): number | null => {
  const value = record[key];
  return typeof value === 'number' ? value : null;
};

export const dateIn = (record: LooseRecord, key: string): string | null => {
  const value = textIn(record, key);
  return value ? formatDate(value) : null;
};

export const dateTimeIn = (record: LooseRecord, key: string): string | null => {
  const value = textIn(record, key);
  return value ? formatDateTime(value) : null;
};

/** An amount held in minor units with its currency ("amountMinor" and "currency"), or null. */
export const moneyIn = (record: LooseRecord, minorKey: string, currencyKey = 'currency'): string | null => {
  const minor = numberIn(record, minorKey);
  const currency = textIn(record, currencyKey);
  return minor === null || currency === null ? null : formatMoney(minor, currency);
};

/** A stored value as text: lists joined, objects as their JSON, nothing as null. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value))
    return (
      value
        .map(valueText)
        .filter((item) => item !== null)
        .join(', ') || null
    );
  return JSON.stringify(value);
}
