import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

export const consentHistoryKey = (purpose: string, contactId: string) => ['consents', purpose, contactId] as const;

/** The contact's consent ledger, newest first (the API answers oldest first). */
export function useConsentHistory(purpose: string, contactId: string) {
  return useQuery({
    queryKey: consentHistoryKey(purpose, contactId),
    queryFn: async () => dataOf(await api.GET('/api/v1/contacts/{id}/consents', { params: { path: { id: contactId } }, headers: forPurpose(purpose) })).data,
    select: (events) => [...events].reverse(),
  });
}

/** The signed receipt of one event, and the public verifier's answer about it (valid? still live?). */
export async function loadReceipt(purpose: string, contactId: string, eventId: string) {
  const signed = dataOf(
    await api.GET('/api/v1/contacts/{id}/consents/{eventId}/receipt', { params: { path: { id: contactId, eventId } }, headers: forPurpose(purpose) }),
  ).data;
  const verification = dataOf(await api.POST('/api/v1/consent-receipts/verify', { body: { receipt: signed.jws } })).data;
  return { ...signed, verification };
}
