export * from './fieldDeclaration.ts';
export { defaultCatalogDeclarations } from './defaultCatalog.ts';
export { dataCategoryProblem } from './dataCategories.ts';
export { workspaceCatalog } from './workspaceCatalog.ts';
