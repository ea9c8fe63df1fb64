import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.CANDOR_LOADED_MODULES) appendFileSync(process.env.CANDOR_LOADED_MODULES, `${url}\n`);
  return nextLoad(url, context);
}
