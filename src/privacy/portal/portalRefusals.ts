import { DomainError } from '../../shared/domainError.ts';

/** 401: no live portal session for this workspace. */
export const notAuthenticatedInPortal = () =>
  new DomainError(
    'unauthenticated',
    'Sign in to the privacy portal first: POST …/sign-in with your e-mail address, then …/sign-in/{signInId}/verify with the code.',
  );

/** 409: the signed-in address is nobody's in this workspace, so there is nothing of theirs to change or copy. */
export const unknownPerson = (field: string) =>
  new DomainError('conflict', 'We hold no record for this e-mail address, so there is nothing to change or copy. You can still make a request.', [
    { field, reason: 'no record is held for the signed-in address' },
  ]);

/** 403: a change made with the portal session did not echo its CSRF token. */
export const portalCsrfRefusal = () =>
  new DomainError('csrf_failed', 'Send the csrfToken the portal sign-in answered (GET …/me answers it too) in the X-CSRF-Token header.', [
    { field: 'X-CSRF-Token', reason: 'missing or wrong' },
  ]);
