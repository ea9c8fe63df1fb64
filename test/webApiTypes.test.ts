import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateWebApiTypes, webApiTypesFile } from '../scripts/webApiTypes.ts';

// The web app's client is typed from the server's OpenAPI document (web/src/api/schema.d.ts,
// committed). When a route changes, the types must change with it, or the app would be
// checked against an API that no longer exists.
describe("the web app's API types", () => {
  it('are what the OpenAPI document of the current routes generates (npm run api-types writes them)', async () => {
    const generated = await generateWebApiTypes();
    expect(generated).toContain('"/api/v1/contacts": {');
    const committed = readFileSync(webApiTypesFile, 'utf8');
    expect(committed === generated, 'web/src/api/schema.d.ts is stale: run `npm run api-types` and commit the result').toBe(true);
  });
});
