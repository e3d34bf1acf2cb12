/**
 * Multi-row inserts as one statement of fixed shape: each column travels as one text[] parameter and
 * is cast in SQL, so a batch of any size has the same parameters (and can be a named, prepared
 * statement). bytea columns travel as hex.
 */
export type ColumnSpec = readonly (readonly [name: string, sqlType: string])[];

/** `insert … select … from unnest(…) on conflict do nothing returning id`. No conflict target: the
 * primary key and any unique index (e.g. comments' live-duplicate index) both make a row "not inserted". */
export function unnestInsertSql(table: string, columns: ColumnSpec): string {
  const names = columns.map(([c]) => c).join(', ');
  return `
insert into ${table} (${names})
select ${columns.map(([c, t]) => (t === 'bytea' ? `decode(${c}, 'hex')` : `${c}::${t}`)).join(', ')}
  from unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) as t(${names})
on conflict do nothing
returning id`;
}

/** Turns rows into one array per column, in `columns` order, as unnestInsertSql expects. */
export function toColumnArrays<T>(
  columns: ColumnSpec,
  rows: readonly T[],
  valuesOf: (row: T) => (string | null)[],
): (string | null)[][] {
  const cols: (string | null)[][] = columns.map(() => []);
  for (const row of rows) {
    const values = valuesOf(row);
    if (values.length !== columns.length) throw new Error(`expected ${columns.length} values, got ${values.length}`);
    values.forEach((v, i) => cols[i]!.push(v));
  }
  return cols;
}
