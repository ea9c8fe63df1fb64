export * from './fieldDeclaration.ts';
export { defaultCatalogDeclarations } from './defaultCatalog.ts';
export { catalogCategoryProblem } from './dataCategories.ts';
