/*
 * Small choices kept on this device between visits: the workspace last signed in to and each
 * user's last purpose. Keys and slugs only, never personal data. Storage can be disabled
 * (private modes, policies); the choices then last until the page is reloaded.
 */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export const recall = (key: string): string | null => storage()?.getItem(key) ?? null;

export function remember(key: string, value: string): void {
  storage()?.setItem(key, value);
}

/** The workspace last signed in to, offered again on the sign-in and reset forms. */
export const workspaceKey = 'candor.workspace';
