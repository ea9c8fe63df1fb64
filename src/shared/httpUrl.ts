import { invalid } from './domainError.ts';

/**
 * An absolute http(s) URL Candor will call back (webhooks, Data Rights Protocol agents), or
 * 422 naming `field`: no credentials (they would be stored and listed in plain text), no
 * fragment. Whether its host is public is the caller's check.
 */
export function checkCallbackTarget(value: string, field: string): URL {
  if (!URL.canParse(value)) throw invalid(field, 'must be an absolute http or https URL');
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(field, 'must use http or https');
  if (url.username || url.password) throw invalid(field, 'must not contain credentials; verify deliveries by their signature');
  if (url.hash) throw invalid(field, 'must not contain a fragment');
  return url;
}
