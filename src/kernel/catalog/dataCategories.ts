// Kept as the import path custom fields (src/crm/customFields) already use.
export { dataCategoryProblem } from './fideslang.ts';

/**
 * Whether a fideslang data category is personal data: the `user` branch of the taxonomy
 * (data about the people the CRM serves). `system.*` (operations) and `employee.*` are not
 * data of the CRM's data subjects.
 */
export const isPersonalDataCategory = (key: string): boolean => key === 'user' || key.startsWith('user.');

/** SQL LIKE pattern with the same meaning, for a query over stored categories. */
export const personalDataCategoryPattern = 'user.%';
