// The demo data set's defaults, in a module of their own so that `candor seed --help` can
// show them without loading the seeders.
export const demoSlug = 'demo';
export const defaultDemoContacts = 2_000;
export const maxDemoContacts = 1_000_000;
