import { describe, expect, it } from 'vitest';
import { endsSession } from './sessionEnd.ts';

describe('whether a refused request ends the session', () => {
  it('ends it for a 401 to a request made under the session still open', () => {
    expect(endsSession({ status: 401, path: '/api/v1/contacts', sentInGeneration: 3 }, 3)).toBe(true);
  });

  it('ignores a 401 to a request sent before the user signed out or signed in again', () => {
    expect(endsSession({ status: 401, path: '/api/v1/contacts', sentInGeneration: 2 }, 3)).toBe(false);
  });

  it('ignores the answers of the sign-in routes, which refuse credentials rather than sessions', () => {
    expect(endsSession({ status: 401, path: '/api/v1/auth/login', sentInGeneration: 3 }, 3)).toBe(false);
    expect(endsSession({ status: 401, path: '/api/v1/auth/me', sentInGeneration: 3 }, 3)).toBe(false);
  });

  it("ignores the privacy portal's answers, which speak of a person's portal session, not staff's", () => {
    expect(endsSession({ status: 401, path: '/api/v1/portal/demo/me', sentInGeneration: 3 }, 3)).toBe(false);
  });

  it('ignores every status but 401', () => {
    for (const status of [200, 403, 404, 412, 500]) expect(endsSession({ status, path: '/api/v1/contacts', sentInGeneration: 3 }, 3)).toBe(false);
  });
});
