import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActions } from '../../src/store/audit-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// sql/0021: add_audit_action() is how a migration lets the audit log take a new action. It must build
// the constraint the DO blocks of 0009-0016 built, be harmless when run twice, and leave every other
// value refused.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

async function actionCheck(): Promise<{ oid: number; def: string }> {
  const { rows } = await db.pool.query<{ oid: number; def: string }>(
    `select c.oid::int as oid, pg_get_constraintdef(c.oid) as def from pg_constraint c
      where c.conrelid = 'moderation_events'::regclass and c.conname = 'moderation_events_action_check'`,
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** Inserts an audit event with this action: null when the check took it, else the SQLSTATE. */
async function insertEvent(action: string): Promise<string | null> {
  try {
    await db.pool.query("insert into moderation_events (actor, action) values ('test', $1)", [action]);
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code';
  }
}

/** What the DO block copied into 0009/0011/0014 builds for these actions (then rolled back). */
async function doBlockDefinition(actions: string[]): Promise<string> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    const list = actions.map((a) => `'${a}'`).join(', ');
    await client.query(`do $$
      declare con record; expr text;
      begin
        select c.conname, pg_get_constraintdef(c.oid) as def into con from pg_constraint c
         where c.conrelid = 'moderation_events'::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%action%'
         limit 1;
        expr := coalesce(substring(con.def from '^CHECK \\((.*)\\)$'), 'false');
        if con.conname is not null then
          execute format('alter table moderation_events drop constraint %I', con.conname);
        end if;
        execute format('alter table moderation_events add constraint moderation_events_action_check check ((%s) or action in (${list.replace(/'/g, "''")}))', expr);
      end $$`);
    const { rows } = await client.query<{ def: string }>(
      "select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'moderation_events_action_check'",
    );
    return rows[0]!.def;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

describe('add_audit_action (sql/0021)', () => {
  it('keeps every action the earlier migrations added', async () => {
    for (const action of ['approve', 'undo', 'import', 'anonymise_ips', 'recheck', 'webhook', 'page_title']) {
      expect(await insertEvent(action), action).toBeNull();
    }
  });

  it('adds one action exactly as the DO blocks did; an insert then takes it; unknown ones stay refused', async () => {
    expect(await insertEvent('test_action_one')).toBe('23514');
    const expected = await doBlockDefinition(['test_action_one']);
    await db.pool.query("select add_audit_action('test_action_one')");
    expect((await actionCheck()).def).toBe(expected);
    expect(await insertEvent('test_action_one')).toBeNull();
    expect(await insertEvent('test_action_unknown')).toBe('23514');
    expect(await insertEvent('')).toBe('23514');
    expect(await insertEvent('TEST_ACTION_ONE')).toBe('23514');
  });

  it('is a no-op the second time: same definition, same constraint, no rewrite', async () => {
    await db.pool.query("select add_audit_action('test_action_twice')");
    const first = await actionCheck();
    await db.pool.query("select add_audit_action('test_action_twice')");
    await db.pool.query("select add_audit_action('approve', 'page_title', 'test_action_twice')");
    const again = await actionCheck();
    expect(again).toEqual(first);
    expect(first.def.match(/test_action_twice/g)).toHaveLength(1);
    expect(await insertEvent('test_action_twice')).toBeNull();
  });

  it('adds several at once like 0009 did, leaving out the ones already allowed', async () => {
    const expected = await doBlockDefinition(['test_action_a', 'test_action_b']);
    await db.pool.query("select add_audit_action('test_action_a', 'approve', 'test_action_b', 'test_action_a')");
    expect((await actionCheck()).def).toBe(expected);
    expect(await insertEvent('test_action_a')).toBeNull();
    expect(await insertEvent('test_action_b')).toBeNull();
    expect(await insertEvent('test_action_c')).toBe('23514');
  });

  it.each([
    ['an empty name', "select add_audit_action('')"],
    ['upper case', "select add_audit_action('Approve')"],
    ['a quote', "select add_audit_action('x'') or true or (''')"],
    ['null', 'select add_audit_action(null::text)'],
    ['no action', "select add_audit_action(variadic '{}'::text[])"],
    ['a name over 40 characters', `select add_audit_action('${'a'.repeat(41)}')`],
  ])('refuses %s and leaves the check as it was', async (_what, sql) => {
    const before = await actionCheck();
    await expect(db.pool.query(sql)).rejects.toMatchObject({ code: '22023' });
    expect(await actionCheck()).toEqual(before);
  });

  it('the audit page offers exactly the actions the migrated database takes', async () => {
    const { def } = await actionCheck();
    // The earlier tests in this file add test_action_* themselves.
    const taken = [...def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).filter((a) => !a?.startsWith('test_action'));
    expect(taken.length).toBeGreaterThan(20);
    expect([...new Set(taken)].sort()).toEqual([...auditActions].sort());
  });
});
