import type { Purpose } from '../api/types.ts';
import { humanise } from '../ui/format.ts';

/** A purpose key as people read it: order_fulfilment → "Order fulfilment", email_marketing → "E-mail marketing". */
export const purposeLabel = (key: string): string => humanise(key.replace(/(^|_)email(?=_|$)/g, '$1e-mail'));

const legalBasisLabels: Record<Purpose['legalBasis'], string> = {
  consent: 'consent',
  contract: 'contract',
  legal_obligation: 'legal obligation',
  vital_interests: 'vital interests',
  public_task: 'public task',
  legitimate_interests: 'legitimate interests',
};

/** "Legal basis: consent (Art. 6(1)(a))". */
export const legalBasisLabel = (purpose: Purpose) => `${legalBasisLabels[purpose.legalBasis]} (Art. ${purpose.legalBasisTerms.article})`;
