/*
 * Names in the API are camelCase; stored names (personal fields in the vault and catalog,
 * import columns) are snake_case. These convert a name between the two at the edge, so a
 * response, an export or a catalog view never shows the stored spelling. Names already in
 * the target case come back unchanged; a custom field's key is the user's and is never
 * passed through them.
 */

/** "first_name" → "firstName". */
export const camelCaseName = (name: string): string => name.replace(/_([a-z0-9])/g, (_match, next: string) => next.toUpperCase());

/** "firstName" → "first_name". */
export const snakeCaseName = (name: string): string => name.replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`);
