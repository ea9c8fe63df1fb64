import { describe, expect, it } from 'vitest';
import { searchCriteria } from './searchCriteria.ts';

describe('what the contacts search looks for', () => {
  it('reads name words as typed, once one of them has two letters', () => {
    expect(searchCriteria('Em')).toEqual({ name: 'Em' });
    expect(searchCriteria('  emily   h ')).toEqual({ name: 'emily h' });
    expect(searchCriteria("O'Brien")).toEqual({ name: "O'Brien" });
    expect(searchCriteria('E')).toBeNull();
    expect(searchCriteria('E H')).toBeNull();
    expect(searchCriteria('one two three four five six')).toBeNull();
  });

  it('looks up a whole e-mail address or phone number, and waits until it is whole', () => {
    expect(searchCriteria('ada@example.com')).toEqual({ email: 'ada@example.com' });
    expect(searchCriteria('ada@exam')).toBeNull();
    expect(searchCriteria('+1 555 010-0128')).toEqual({ phone: '+1 555 010-0128' });
    expect(searchCriteria('0128')).toBeNull();
  });
});
