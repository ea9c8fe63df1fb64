import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../accounts/workspaces.ts';
import { newId } from '../db/ids.ts';
import { activities } from '../db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import { systemContext, type PurposeContext } from './accessContext.ts';
import { readActivityContent, readActivityContents, shredActivityContents, storeActivityContents, writeActivityContent } from './activityContent.ts';
import { ensureTestKernel } from './runtime.ts';

let database: TestDatabase;
let ctx: PurposeContext;
let otherCtx: PurposeContext;

beforeAll(async () => {
  ensureTestKernel();
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

  it('stores the text sealed: the raw row holds neither value', async () => {
    const [id] = await newActivities(1);
    await writeActivityContent(database.db, ctx, id, { subject: 'Sealed-subject-marker', body: 'Sealed-body-marker' });
    const [row] = await database.query<{ content: string }>('select content::text as content from activities where tenant_id = $1 and id = $2', [
      ctx.tenantId,
      id,
    ]);
    expect(row.content).not.toContain('Sealed-subject-marker');
    expect(row.content).not.toContain('Sealed-body-marker');
    expect(Object.keys(JSON.parse(row.content) as object).sort()).toEqual(['body', 'subject']);
  });

  it('withholds the text from a purpose the catalog does not declare it for, naming each field and reason', async () => {
    const [id] = await newActivities(1);
    await writeActivityContent(database.db, ctx, id, { subject: 'Pricing call' });
    const read = await readActivityContent(database.db, { ...ctx, purpose: 'web_analytics' }, [id]);
    expect(read.contents.get(id)).toEqual({});
    expect(read.withheld).toEqual(
      expect.arrayContaining([
        { field: 'subject', reason: 'field_not_declared_for_purpose' },
        { field: 'body', reason: 'field_not_declared_for_purpose' },
      ]),
    );
  });

  it('reads nothing of an activity whose key was shredded', async () => {
    const [id] = await newActivities(1);
    await writeActivityContent(database.db, ctx, id, { subject: 'Soon gone' });
    await shredActivityContents(database.db, ctx, [id]);
    const read = await readActivityContent(database.db, ctx, [id]);
    expect(read.contents.get(id)).toEqual({});
    expect(read.withheld).toContainEqual({ field: 'subject', reason: 'erased' });
  });
});
