import { staffSql } from '../../readers/reader-store.js';
import type { Pool } from '../db.js';

/*
 * A moderator's Staff badge (moderators.staff_badge, sql/0025): whether their readers (those with the
 * moderator's verified email, on the sites they moderate) are shown as staff. The badge is kept on each
 * comment (comments.author_staff), as the author's name is, so a thread page reads no other table;
 * turning it off or on therefore rewrites those comments, and the thread's version trigger
 * (sql/0035 comments_count_update) refreshes the cached pages of every thread it touches.
 */

export async function loadStaffBadge(db: Pool, moderatorId: number): Promise<boolean> {
  const { rows } = await db.query<{ staff_badge: boolean }>('select staff_badge from moderators where id = $1', [
    moderatorId,
  ]);
  return rows[0]?.staff_badge ?? false;
}

/**
 * Sets the badge and brings every comment of the moderator's readers in line, in one transaction, so no
 * thread shows the old badge after the answer. The comments' badge is computed again with the same rule
 * as everywhere (staffSql) rather than copied from `on`: a reader on a site the moderator no longer
 * moderates is not staff there either way. Pending and held comments are brought in line too, so one
 * approved later shows the badge as it is now. Returns how many comments changed.
 */
export async function saveStaffBadge(db: Pool, moderatorId: number, on: boolean): Promise<number> {
  const client = await db.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ email: string }>(
      'update moderators set staff_badge = $2 where id = $1 returning email',
      [moderatorId, on],
    );
    const email = rows[0]?.email;
    let changed = 0;
    if (email !== undefined && email !== '') {
      const result = await client.query(
        `update comments c set author_staff = s.staff
           -- Through sites: readers are indexed on (site_id, email), and sites are few.
           from (select r.id, ${staffSql('r')} as staff
                   from sites st join readers r on r.site_id = st.id and r.email = $1) s
          where c.reader_id = s.id and c.author_staff is distinct from s.staff and c.status <> 'deleted'`,
        [email],
      );
      changed = result.rowCount ?? 0;
    }
    await client.query('commit');
    return changed;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
