import type { VouchedClaims } from '../../kernel/index.ts';
import type { Regime, RequestKind } from '../requests/deadlines.ts';
import type { DrpAgent } from './drpAgents.ts';
import { DrpRefusal } from './drpRefusal.ts';
import { requireProtocolVersion } from './drpSignatures.ts';

/*
 * The claims of an exercise (§2.01, §3.01, §3.04) as a Candor rights request:
 *
 *   access, access:categories, access:specific → access (the right to know)
 *   deletion                                   → erasure
 *   sale:opt-out                               → opt_out_sale_sharing
 *   sale:opt-in                                → refused: consent to sale is the person's own to give
 *
 * `regime` ccpa (or none: voluntary, handled under the CCPA's deadlines) or gdpr. The identity
 * is the schema.org/Person claims: `email` is required (Candor matches people by e-mail); the
 * name goes with it, and the rest the agent vouches for (phone number, address, which it
 * verified, a power of attorney) is sealed beside them. `email_verified: true` counts as
 * verification. `status_callback`, when given, must be on the origin of the callback URL the
 * admin registered for the agent, so an agent cannot make Candor post elsewhere.
 */

const kindOfExercise: Record<string, RequestKind> = {
  access: 'access',
  'access:categories': 'access',
  'access:specific': 'access',
  deletion: 'erasure',
  'sale:opt-out': 'opt_out_sale_sharing',
};

export type ExerciseRequest = {
  exercise: string;
  kind: RequestKind;
  regime: Regime;
  regimeClaim: string | null;
  email: string;
  name: string | null;
  emailVerified: boolean;
  vouched: VouchedClaims;
  agentRequestId: string | null;
  relationships: string[];
  statusCallback: string | null;
};

const invalidClaim = (field: string, message: string) => new DrpRefusal(400, 'invalid_claim', message, { fatal: true, field });

function optionalString(claims: Record<string, unknown>, field: string, max: number): string | null {
  const value = claims[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) throw invalidClaim(field, `${field} must be a string of at most ${max} characters.`);
  return value;
}

function vouchedClaims(claims: Record<string, unknown>): VouchedClaims {
  const vouched: VouchedClaims = {};
  for (const field of ['phone_number', 'power_of_attorney']) {
    const value = optionalString(claims, field, 2000);
    if (value !== null) vouched[field] = value;
  }
  for (const field of ['email_verified', 'phone_number_verified', 'address_verified']) {
    if (claims[field] === undefined) continue;
    if (typeof claims[field] !== 'boolean') throw invalidClaim(field, `${field} must be true or false.`);
    vouched[field] = claims[field] as boolean;
  }
  const address = claims.address;
  if (address !== undefined && address !== null) {
    const entries = typeof address === 'object' && !Array.isArray(address) ? Object.entries(address) : null;
    if (entries === null || entries.length > 10 || entries.some(([, part]) => typeof part !== 'string' || part.length > 500)) {
      throw invalidClaim('address', 'address must be an OpenID Connect address claim: an object of strings.');
    }
    vouched.address = Object.fromEntries(entries) as Record<string, string>;
  }
  return vouched;
}

function regimeOf(claim: string | null): Regime {
  if (claim === null || claim === 'ccpa') return 'ccpa';
  if (claim === 'gdpr') return 'gdpr';
  throw new DrpRefusal(400, 'unsupported_exercise', 'regime must be ccpa (or gdpr), or left out for voluntary processing.', { field: 'regime' });
}

function statusCallbackOf(claims: Record<string, unknown>, agent: DrpAgent): string | null {
  const given = optionalString(claims, 'status_callback', 2048);
  if (given === null) return null;
  const registered = agent.callbackUrl === null ? null : new URL(agent.callbackUrl);
  const url = URL.canParse(given) ? new URL(given) : null;
  if (url === null || registered === null || url.origin !== registered.origin || url.username || url.password) {
    throw invalidClaim('status_callback', "status_callback must be on the origin of the agent's registered callback URL.");
  }
  return url.toString();
}

function relationshipsOf(claims: Record<string, unknown>): string[] {
  const value = claims.relationships;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 20 || value.some((item) => typeof item !== 'string' || item.length > 100)) {
    throw invalidClaim('relationships', 'relationships must be a list of at most 20 short strings.');
  }
  return value as string[];
}

/** The exercise's claims checked and mapped; 400 naming the claim at fault. */
export function exerciseRequestOf(claims: Record<string, unknown>, agent: DrpAgent): ExerciseRequest {
  requireProtocolVersion(claims);
  const exercise = optionalString(claims, 'exercise', 100);
  if (exercise === null) throw invalidClaim('exercise', 'exercise is required.');
  const kind = kindOfExercise[exercise];
  if (kind === undefined) {
    throw new DrpRefusal(400, 'unsupported_exercise', 'Unsupported rights actions submitted: access, deletion and sale:opt-out are supported.', {
      fatal: true,
      field: 'exercise',
    });
  }
  const regimeClaim = optionalString(claims, 'regime', 20);
  const email = optionalString(claims, 'email', 320);
  if (email === null) throw invalidClaim('email', 'email is required: requests are matched to people by e-mail address.');
  const vouched = vouchedClaims(claims);
  return {
    exercise,
    kind,
    regime: regimeOf(regimeClaim),
    regimeClaim,
    email,
    name: optionalString(claims, 'name', 200),
    emailVerified: vouched.email_verified === true,
    vouched,
    agentRequestId: optionalString(claims, 'agent-request-id', 200),
    relationships: relationshipsOf(claims),
    statusCallback: statusCallbackOf(claims, agent),
  };
}
