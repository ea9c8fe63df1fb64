import { describe, expect, it } from 'vitest';
import { validateCatalog } from '../catalog/fieldDeclaration.ts';
import { decide, type DecisionActor } from './decide.ts';
import type { PolicyPurpose } from './policyPurpose.ts';
import { emptySubjectState, type SubjectState } from './subjectState.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const minutes = (offset: number) => new Date(now.getTime() + offset * 60_000);
const catalog = validateCatalog([
  {
    object: 'contact',
    field: 'email',
    dataCategory: 'user.contact.email',
    subject: 'contact',
    sensitivity: 'ordinary',
    purposes: ['newsletter', 'soft_opt_in', 'sales'],
    encrypted: true,
    lookup: true,
    search: false,
  },
  {
    object: 'contact',
    field: 'phone',
    dataCategory: 'user.contact.phone_number',
    subject: 'contact',
    sensitivity: 'ordinary',
    purposes: ['sales'],
    encrypted: true,
    lookup: true,
    search: false,
  },
]);
const newsletter: PolicyPurpose = { key: 'newsletter', legalBasis: 'consent', dataUse: 'marketing.communications.email' };
const softOptIn: PolicyPurpose = { key: 'soft_opt_in', legalBasis: 'contract', dataUse: 'marketing.communications.email' };
const sales: PolicyPurpose = { key: 'sales', legalBasis: 'contract', dataUse: 'sales' };
const actor: DecisionActor = { role: 'marketing', grantedPurposes: new Set(['newsletter', 'soft_opt_in', 'sales']) };
const email = { catalog, object: 'contact' as const, field: 'email' };
const state = (facts: Partial<SubjectState>): SubjectState => ({ ...emptySubjectState('s1'), ...facts });

describe('policy decision for one subject and field', () => {
  it('denies a consent purpose without a live consent, and allows it while the consent is live', () => {
    expect(decide(actor, newsletter, state({}), email, now).reasons).toEqual(['no_live_consent']);
    const given = { purposeKey: 'newsletter', state: 'given' as const, recordedAt: minutes(-10), expiresAt: null };
    expect(decide(actor, newsletter, state({ consents: [given] }), email, now)).toEqual({ allow: true, reasons: [] });
    const withdrawn = { purposeKey: 'newsletter', state: 'withdrawn' as const, recordedAt: now, expiresAt: null };
    expect(decide(actor, newsletter, state({ consents: [given, withdrawn] }), email, now).reasons).toEqual(['no_live_consent']);
    expect(decide(actor, newsletter, state({ consents: [{ ...given, expiresAt: minutes(-1) }] }), email, now).allow).toBe(false);
    expect(decide(actor, newsletter, state({ consents: [{ ...given, recordedAt: minutes(1) }] }), email, now).allow).toBe(false);
  });

  it('lets the latest event at the instant decide: a renewal after a withdrawal, an earlier time before it', () => {
    const history = [
      { purposeKey: 'newsletter', state: 'given' as const, recordedAt: minutes(-30), expiresAt: minutes(-15) },
      { purposeKey: 'newsletter', state: 'withdrawn' as const, recordedAt: minutes(-20), expiresAt: null },
      { purposeKey: 'newsletter', state: 'renewed' as const, recordedAt: minutes(-10), expiresAt: null },
      { purposeKey: 'other', state: 'withdrawn' as const, recordedAt: minutes(-5), expiresAt: null },
    ];
    expect(decide(actor, newsletter, state({ consents: history }), email, now).allow).toBe(true);
    expect(decide(actor, newsletter, state({ consents: history }), email, minutes(-25)).allow).toBe(true);
    expect(decide(actor, newsletter, state({ consents: history }), email, minutes(-15)).allow).toBe(false);
    // Of two events at the same time, the one recorded later counts.
    const sameTime = [history[2]!, { ...history[1]!, recordedAt: minutes(-10) }];
    expect(decide(actor, newsletter, state({ consents: sameTime }), email, now).allow).toBe(false);
    expect(decide(actor, newsletter, state({ consents: [...sameTime].reverse() }), email, now).allow).toBe(true);
  });

  it('applies an objection to direct marketing whatever its basis, but not to a contract purpose', () => {
    const objectsToMarketing = state({ objections: [{ purposeKey: null, objectedAt: minutes(-5) }] });
    expect(decide(actor, softOptIn, objectsToMarketing, email, now).reasons).toEqual(['objected']);
    const objectsToSales = state({ objections: [{ purposeKey: 'sales', objectedAt: minutes(-5) }] });
    expect(decide(actor, sales, objectsToSales, email, now).allow).toBe(true);
    expect(decide(actor, { ...sales, legalBasis: 'legitimate_interests' }, objectsToSales, email, now).reasons).toEqual(['objected']);
  });

  it('denies a field not declared for the purpose, a purpose the role lacks, and restricted or erased subjects', () => {
    expect(decide(actor, newsletter, state({}), { ...email, field: 'phone' }, now).reasons).toEqual(['field_not_declared_for_purpose', 'no_live_consent']);
    expect(decide({ ...actor, grantedPurposes: new Set() }, sales, state({}), email, now).reasons).toEqual(['role_not_granted']);
    const restricted = state({ restrictions: [{ restrictedAt: minutes(-3), liftedAt: null }], erasures: [{ erasedAt: minutes(-1) }] });
    expect(decide(actor, sales, restricted, email, now).reasons).toEqual(['erased', 'restricted']);
    const lifted = state({ restrictions: [{ restrictedAt: minutes(-3), liftedAt: minutes(-1) }] });
    expect(decide(actor, sales, lifted, email, now).allow).toBe(true);
  });

  it('lets dsr_fulfilment open any declared field past restriction and objection, but never an erased subject', () => {
    const dsr: PolicyPurpose = { key: 'dsr_fulfilment', legalBasis: 'legal_obligation', dataUse: 'essential.legal_obligation' };
    const officer: DecisionActor = { role: 'privacy_officer', grantedPurposes: new Set(['dsr_fulfilment']) };
    const phone = { ...email, field: 'phone' };
    const restrictedAndObjecting = state({
      restrictions: [{ restrictedAt: minutes(-3), liftedAt: null }],
      objections: [
        { purposeKey: null, objectedAt: minutes(-5) },
        { purposeKey: 'dsr_fulfilment', objectedAt: minutes(-5) },
      ],
    });
    expect(decide(officer, dsr, restrictedAndObjecting, phone, now)).toEqual({ allow: true, reasons: [] });
    expect(decide(officer, dsr, state({ erasures: [{ erasedAt: minutes(-1) }] }), phone, now).reasons).toEqual(['erased']);
    expect(decide(officer, dsr, state({}), { ...email, field: 'undeclared' }, now).reasons).toEqual(['field_not_declared_for_purpose']);
    expect(decide(actor, dsr, state({}), phone, now).reasons).toEqual(['role_not_granted']);
    // The name alone does not carry the override: on another basis it is an ordinary purpose.
    const impostor: PolicyPurpose = { ...dsr, legalBasis: 'legitimate_interests' };
    const grantedImpostor = { ...officer, grantedPurposes: new Set(['dsr_fulfilment']) };
    expect(decide(grantedImpostor, impostor, restrictedAndObjecting, phone, now).reasons).toEqual(['field_not_declared_for_purpose', 'restricted', 'objected']);
  });
});
