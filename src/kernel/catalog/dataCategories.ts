// Kept as the import path custom fields (src/crm/customFields) already use.
export { dataCategoryProblem } from './fideslang.ts';
