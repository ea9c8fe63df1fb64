/*
 * The fideslang data categories that are GDPR Art. 9 special categories: racial or ethnic
 * origin, political opinions, religious beliefs, genetic, biometric and health data, sex
 * life or sexual orientation (fideslang has no key for trade-union membership or
 * philosophical beliefs). Criminal history (Art. 10) is treated as strictly. A key and
 * every key below it count, so user.health_and_medical.genetic is special too.
 */
export const specialCategoryRoots = [
  'user.demographic.race_ethnicity',
  'user.demographic.political_opinion',
  'user.demographic.religious_belief',
  'user.demographic.sexual_orientation',
  'user.health_and_medical',
  'user.biometric',
  'user.authorization.biometric',
  'user.criminal_history',
] as const;

/** Whether a fideslang data category is special-category data (sensitivity must be 'special'). */
export function isSpecialCategory(dataCategory: string): boolean {
  return specialCategoryRoots.some((root) => dataCategory === root || dataCategory.startsWith(`${root}.`));
}
