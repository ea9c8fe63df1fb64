import { recall, remember } from './deviceMemory.ts';

// The purpose a user last chose on this device, so a reload keeps acting for it; it is
// offered again only while the role is granted it.
const storageKey = (userId: string) => `candor.purpose.${userId}`;

export const rememberedPurpose = (userId: string): string | null => recall(storageKey(userId));
export const rememberPurpose = (userId: string, purpose: string): void => remember(storageKey(userId), purpose);
