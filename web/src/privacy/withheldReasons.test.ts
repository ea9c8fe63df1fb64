import { describe, expect, it } from 'vitest';
import { withheldByField, withheldReasonText } from './withheldReasons.ts';

describe('why a field is withheld, in plain words', () => {
  it('names the purpose a field is not declared for, and the person for a restriction', () => {
    expect(withheldReasonText('field_not_declared_for_purpose', 'support')).toBe('not declared for Support');
    expect(withheldReasonText('restricted', 'sales')).toBe('restricted by the person');
    expect(withheldReasonText('erased', 'sales')).toBe('erased');
    expect(withheldReasonText('no_live_consent', 'email_marketing')).toBe('no consent for E-mail marketing');
  });

  it('never leaves a reason unsaid: a code it does not know is shown as words', () => {
    expect(withheldReasonText('a_rule_added_later', 'sales')).toBe('withheld (a rule added later)');
    expect(withheldReasonText('a_rule_added_later', 'sales', 'held back by a later rule')).toBe('held back by a later rule');
  });

  it('joins the reasons of one field, each said once', () => {
    const reasons = withheldByField(
      [
        { field: 'email', reason: 'erased', message: 'erased: the person asked for their data to be deleted' },
        { field: 'email', reason: 'restricted', message: 'restricted by the person' },
        { field: 'email', reason: 'erased', message: 'erased: the person asked for their data to be deleted' },
        { field: 'city', reason: 'field_not_declared_for_purpose', message: 'not declared for support' },
      ],
      'support',
    );
    expect(Object.fromEntries(reasons)).toEqual({ email: 'erased and restricted by the person', city: 'not declared for Support' });
  });
});
