import argon2 from 'argon2';

// OWASP's argon2id minimum (m = 19 MiB, t = 2, p = 1): ~80 ms here, slow enough for
// offline guessing, fast enough for a login.
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, options);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the user does not exist keeps the response time the same,
// so timing does not reveal which e-mail addresses have accounts.
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('candor-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

/** How long a new password must be (the API's OpenAPI document shows the same limits). */
export const passwordLength = { min: 12, max: 256 } as const;

export function passwordProblem(password: string): string | null {
  if (password.length < passwordLength.min) return `must be at least ${passwordLength.min} characters`;
  if (password.length > passwordLength.max) return `must be at most ${passwordLength.max} characters`;
  return null;
}
