import { describe, expect, it } from 'vitest';
import { actionOf, actorOf, fieldWords } from './trailWords.ts';

describe("the portal's words for who accessed a person's data", () => {
  it('says what was done to which of their records', () => {
    expect(actionOf('contact.read')).toBe('read your details');
    expect(actionOf('deal.listed')).toBe('saw a deal about you in a list');
    expect(actionOf('consent.withdrawn')).toBe('recorded that you withdrew your consent');
    expect(actionOf('subject.access_read')).toBe('read everything we hold about you');
  });

  it('makes an action it has no words for readable rather than hiding it', () => {
    expect(actionOf('legal_hold.placed')).toBe('Legal hold placed');
    expect(actionOf('seed')).toBe('Seed');
  });

  it('names the kind of actor, never a person', () => {
    expect(actorOf('user')).toBe('One of our staff');
    expect(actorOf('api_key')).toBe('One of our systems');
    expect(actorOf('webhook')).toBe('Webhook');
  });

  it('reads field names alike whether the audit wrote them in camel case or snake case', () => {
    expect(fieldWords('firstName')).toBe('First name');
    expect(fieldWords('first_name')).toBe('First name');
    expect(fieldWords('email')).toBe('Email');
  });
});
