import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { assertStatement, isAssertFailure } from '../../worker/lib/batch-assert';

describe('batch assertions', () => {
  it('a failed assertion rolls its whole batch back and is told apart from other constraint errors', async () => {
    const db = env.DB;
    const insert = db.prepare(`INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?1, 'Assert', 'x', 'x')`);
    const failed = await db
      .batch([insert.bind('assert-1'), assertStatement(db, 'EXISTS (SELECT 1 FROM orgs WHERE id = ?1)', ['none'])])
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(isAssertFailure(failed)).toBe(true);
    expect(await db.prepare('SELECT count(*) AS n FROM orgs WHERE id = ?1').bind('assert-1').first('n')).toBe(0);
    await db.batch([insert.bind('assert-2'), assertStatement(db, 'EXISTS (SELECT 1 FROM orgs WHERE id = ?1)', ['assert-2'])]);
    const duplicate = await insert
      .bind('assert-2')
      .run()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(duplicate).toBeInstanceOf(Error);
    expect(isAssertFailure(duplicate)).toBe(false);
  });
});
