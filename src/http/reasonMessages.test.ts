import { describe, expect, it } from 'vitest';
import { fieldReasons, storageReasons, subjectReasons } from '../kernel/index.ts';
import { leftOutMessage, withheldMessage } from './reasonMessages.ts';

describe('plain-language messages beside reason codes', () => {
  it('gives every withheld reason the kernel has a message of words, not a code', () => {
    for (const reason of [...fieldReasons, ...subjectReasons, ...storageReasons, 'personal_data_without_subject']) {
      const message = withheldMessage(reason, 'support');
      expect(message, reason).toMatch(/^[a-z][^_]*$/);
      expect(message, reason).not.toBe(reason);
    }
  });

  it('names the purpose where the reason depends on it', () => {
    expect(withheldMessage('field_not_declared_for_purpose', 'support')).toMatch(/^not declared for support/);
    expect(withheldMessage('objected', 'sales')).toContain('objected to sales');
    expect(withheldMessage('no_live_consent', 'email_marketing')).toContain('no consent to email_marketing');
    expect(withheldMessage('restricted', 'sales')).toMatch(/^restricted by the person/);
    expect(withheldMessage('erased', 'sales')).toMatch(/^erased/);
  });

  it('words a code it does not know yet rather than failing the response', () => {
    expect(withheldMessage('some_new_reason', null)).toBe('some new reason');
  });

  it('says why people were left out of a list, for every subject rule', () => {
    for (const reason of subjectReasons) expect(leftOutMessage(reason, 'sales'), reason).toMatch(/^[a-z][^_]*( sales[^_]*)?$/);
  });
});
