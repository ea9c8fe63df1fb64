import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { withParameters } from './databaseAdapter.ts';

const render = (text: string, values: unknown[]) => new PgDialect().sqlToQuery(withParameters(text, values));

describe("binding pg-boss's numbered parameters to a drizzle statement", () => {
  it('binds every reference, repeated ones included, as parameters in order of appearance', () => {
    const query = render('select $2 as name, $1::uuid as id where right($2, 1) = $3', ['id-1', 'queue', 'Z']);
    expect(query.sql).toBe('select $1 as name, $2::uuid as id where right($3, 1) = $4');
    expect(query.params).toEqual(['queue', 'id-1', 'queue', 'Z']);
  });

  it('sends objects as JSON text, and undefined as null', () => {
    expect(render('insert into t values ($1::jsonb, $2)', [{ tenantId: 'x' }, undefined]).params).toEqual(['{"tenantId":"x"}', null]);
  });

  it('refuses a reference to a parameter that was not given', () => {
    expect(() => render('select $3', ['a'])).toThrow('$3');
  });
});
