export type SettingValue = string | number | boolean | null | string[];

/**
 * Which settings differ between two versions of a configuration object (a catalog
 * declaration, a purpose) and an audit detail recording each one's before and after.
 * Only for settings: callers pass no personal values.
 */
export function settingsDiff<Setting extends string>(
  before: Record<Setting, SettingValue>,
  after: Record<Setting, SettingValue>,
  settings: readonly Setting[],
): { changed: Setting[]; detail: Record<string, SettingValue> } {
  const changed = settings.filter((setting) => JSON.stringify(before[setting]) !== JSON.stringify(after[setting]));
  const detail: Record<string, SettingValue> = { changed: [...changed] };
  for (const setting of changed) {
    detail[`${setting}Before`] = before[setting];
    detail[`${setting}After`] = after[setting];
  }
  return { changed, detail };
}
