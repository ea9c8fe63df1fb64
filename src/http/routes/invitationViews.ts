import { z } from 'zod';
import { invitationStates, type Invitation } from '../../accounts/invitations.ts';
import { findWorkspaceById } from '../../accounts/workspaces.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { invitationMail } from '../../mail/templates.ts';
import { roles } from '../../shared/roles.ts';
import type { AppDependencies } from '../dependencies.ts';
import { nameComponent, uuid } from '../openapi/components.ts';

export const invitationStateSchema = z.enum(invitationStates);

// The invitee's address is login data of a prospective staff account, shown to admins as
// GET /users shows users' e-mails; the token is never part of it.
export const invitationSchema = z.object({
  id: uuid,
  email: z.string(),
  role: z.enum(roles),
  state: invitationStateSchema.describe('pending until accepted, revoked (withdrawn or replaced by a newer invitation) or expired'),
  invitedBy: uuid.nullable().describe('the user who invited (or whose API key did)'),
  createdAt: z.date(),
  expiresAt: z.date(),
  acceptedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

nameComponent(invitationSchema, 'Invitation', 'An invitation to become a staff account of the workspace');

export const invitationView = (invitation: Invitation): z.infer<typeof invitationSchema> => invitation;

/** Mails the one-time link; called after the commit so a slow SMTP server never holds a transaction open. */
export async function sendInvitationMail(deps: AppDependencies, ctx: AccessContext, invitation: Invitation, token: string): Promise<void> {
  const workspace = await findWorkspaceById(deps.database.db, ctx.tenantId);
  await deps.mailer.send(
    invitationMail({
      to: invitation.email,
      token,
      expiresAt: invitation.expiresAt,
      role: invitation.role,
      workspaceName: workspace?.name ?? 'Candor',
      publicUrl: deps.config.publicUrl,
    }),
  );
}
