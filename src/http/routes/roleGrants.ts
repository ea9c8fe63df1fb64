import { z } from 'zod';
import { revokingTransaction } from '../../accounts/credentialCache.ts';
import { roles } from '../../shared/roles.ts';
import { listRoleGrants, replaceRoleGrants } from '../../kernel/index.ts';
import { accessContext } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

const roleSchema = z.enum(roles);
const roleGrantSchema = z.object({
  role: roleSchema,
  purposes: z.array(z.string()).describe('The purposes this role may act for (Candor-Purpose); any other is refused with 403 purpose_not_granted'),
});
const tags = ['role grants'];

export const roleGrantRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/role-grants',
    {
      schema: {
        operationId: 'listRoleGrants',
        tags,
        summary: 'Which purposes each role may act for (admin, privacy officer)',
        description:
          "Default deny: a role may act only for the purposes listed here. A new workspace starts with defaults written over the purposes' data uses (docs/roles.md).",
        response: { 200: z.object({ data: z.array(roleGrantSchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'role_grant:read');
      const grants = await listRoleGrants(database.db, ctx.tenantId);
      return { data: roles.map((role) => ({ role, purposes: grants[role] })) };
    },
  );

  app.put(
    '/role-grants/:role',
    {
      schema: {
        operationId: 'replaceRoleGrants',
        tags,
        summary: "Replace one role's purposes (admin; audited as role_grant.changed with the purposes added and removed)",
        description:
          'Unknown purposes are refused with 422, each named. Any role may be left with no purpose, admin included: ' +
          'changing grants is a permission of the admin role, not a grant, so it can always be undone. ' +
          'Takes effect at once for every session and API key of the role.',
        params: z.object({ role: roleSchema }),
        body: z.strictObject({ purposes: z.array(z.string().min(1).max(63)).max(100) }),
        response: { 200: z.object({ data: roleGrantSchema, added: z.array(z.string()), removed: z.array(z.string()) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'role_grant:write');
      const { role } = request.params;
      // Verified API keys remember whether their purpose is granted (credentialCache.ts).
      const result = await revokingTransaction(database.db, async (tx) => {
        const change = await replaceRoleGrants(tx, ctx, role, request.body.purposes);
        return { change, grants: await listRoleGrants(tx, ctx.tenantId) };
      });
      return { data: { role, purposes: result.grants[role] }, ...result.change };
    },
  );
});
