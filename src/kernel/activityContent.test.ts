import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../accounts/workspaces.ts';
import { newId } from '../db/ids.ts';
import { activities } from '../db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import { systemContext, type AccessContext } from './accessContext.ts';
import { readActivityContents, storeActivityContents, writeActivityContent } from './activityContent.ts';

let database: TestDatabase;
let ctx: AccessContext;
let otherCtx: AccessContext;

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = systemContext((await createWorkspace(database.db, { slug: 'content-a', name: 'A' })).id, 'test', 'sales');
  otherCtx = systemContext((await createWorkspace(database.db, { slug: 'content-b', name: 'B' })).id, 'test', 'sales');
});
afterAll(() => database.close());

async function newActivities(count: number, tenantId = ctx.tenantId): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId());
  await database.db.insert(activities).values(ids.map((id) => ({ tenantId, id, type: 'note' })));
  return ids;
}

describe('activity free text in the kernel', () => {
  it('merges a change: a string sets a field, null removes it, absent leaves it, and reports field names', async () => {
    const [id] = await newActivities(1);
    expect(await writeActivityContent(database.db, ctx, id, { subject: 'Kick-off', body: 'Agenda' })).toEqual(['subject', 'body']);
    expect(await writeActivityContent(database.db, ctx, id, { subject: null })).toEqual(['subject']);
    expect(await writeActivityContent(database.db, ctx, id, {})).toEqual([]);
    expect((await readActivityContents(database.db, ctx, [id])).get(id)).toEqual({ body: 'Agenda' });
  });

  it('stores many activities in one call and never reads or writes another workspace', async () => {
    const ids = await newActivities(3);
    const [foreign] = await newActivities(1, otherCtx.tenantId);
    await storeActivityContents(database.db, ctx, [
      { activityId: ids[0], content: { subject: 'One' } },
      { activityId: ids[1], content: { subject: 'Two', body: 'Quote "this" \\ and é' } },
      { activityId: foreign, content: { subject: 'Crossing over' } },
    ]);
    const read = await readActivityContents(database.db, ctx, [...ids, foreign]);
    expect(read.get(ids[0])).toEqual({ subject: 'One' });
    expect(read.get(ids[1])).toEqual({ subject: 'Two', body: 'Quote "this" \\ and é' });
    expect(read.get(ids[2])).toEqual({});
    expect(read.has(foreign)).toBe(false);
    expect((await readActivityContents(database.db, otherCtx, [foreign])).get(foreign)).toEqual({});
  });
});
