// Loaded with `node --import` by the test that `candor --help` stays light: appends the URL
// of every module Node loads to the file named by CANDOR_LOADED_MODULES.
import { register } from 'node:module';

register('./recordLoadedModulesHooks.mjs', import.meta.url);
