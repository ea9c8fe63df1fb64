import { describe, expect, it } from 'vitest';
import { DomainError, staleVersion } from './domainError.ts';

describe('the stale-version error every versioned write raises', () => {
  it('is a precondition failure that names the current version as an ETag', () => {
    const error = staleVersion(7);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('precondition_failed');
    expect(error.detail).toEqual({ currentEtag: '"7"' });
    expect(error.message).toBe('The record changed since you read it; fetch it again and reapply your change.');
  });

  it('names the kind of record when the caller gives one', () => {
    expect(staleVersion(2, 'purpose').message).toBe('The purpose changed since you read it; fetch it again and reapply your change.');
  });
});
