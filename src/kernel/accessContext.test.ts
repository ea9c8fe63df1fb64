import { describe, expect, it } from 'vitest';
import type { Executor } from '../db/connection.ts';
import { domainErrorThrownBy } from '../shared/domainError.ts';
import { requirePurpose, systemContext, type AccessContext, type PurposeContext } from './accessContext.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';

const tenantId = '00000000-0000-7000-8000-000000000001';

describe('a context without a named purpose cannot reach personal data', () => {
  it('is a type error to hand the kernel an AccessContext whose purpose may be null', () => {
    const ctx: AccessContext = systemContext(tenantId, 'type-test');
    // Never called: the point is what compiles (npm run typecheck covers this file).
    const reachWithoutPurpose = (tx: Executor) =>
      // @ts-expect-error purpose is string | null here; kernel record functions take a PurposeContext
      requireGrantedPurpose(tx, ctx);
    const reachAfterNarrowing = (tx: Executor) => requireGrantedPurpose(tx, requirePurpose(ctx));
    expect([typeof reachWithoutPurpose, typeof reachAfterNarrowing]).toEqual(['function', 'function']);
  });

  it('refuses a context without a purpose with purpose_required naming the Candor-Purpose header', () => {
    const error = domainErrorThrownBy(() => requirePurpose(systemContext(tenantId, 'runtime-test')));
    expect(error.code).toBe('purpose_required');
    expect(error.issues).toEqual([{ field: 'Candor-Purpose', reason: 'required for personal data' }]);
    expect(error.message).toContain('Candor-Purpose');
  });

  it('refuses an empty purpose as it refuses none', () => {
    const ctx: AccessContext = { ...systemContext(tenantId, 'runtime-test'), purpose: '' };
    expect(domainErrorThrownBy(() => requirePurpose(ctx)).code).toBe('purpose_required');
  });

  it('passes a context that names its purpose through unchanged', () => {
    const ctx: AccessContext = systemContext(tenantId, 'runtime-test', 'sales');
    const narrowed: PurposeContext = requirePurpose(ctx);
    expect(narrowed).toBe(ctx);
    expect(narrowed.purpose).toBe('sales');
  });
});
