import type { Queryable, SqlParam } from './database';

// Lean reads of the copy's records for the object workspaces: only the properties a request
// needs (not the whole `properties` document), and the owner condition pushed into SQL so a
// rep's book is read without the rest of the portal.

/** A record with just the asked-for property values (HubSpot's strings). */
export type SlimRecord = { id: string; createdAt: Date | null; properties: Record<string, string | null> };

export type SlimQuery = {
  /** Property values to read. */
  properties: readonly string[];
  /**
   * Only records whose `property` holds one of `values` (owner ids); `includeEmpty` also keeps
   * records where it is empty. hubspot_owner_id reads the indexed owner_id column.
   */
  owner?: { property: string; values: readonly string[]; includeEmpty: boolean };
};

const numeric = (v: string) => /^\d{1,18}$/.test(v);

/** Live records of one type with the asked-for properties, ascending id. */
export async function listSlimRecords(db: Queryable, portalId: number, objectType: string, q: SlimQuery): Promise<SlimRecord[]> {
  const params: SqlParam[] = [portalId, objectType];
  const bind = (v: SqlParam) => `$${params.push(v)}`;
  const where = ['portal_id = $1', 'object_type = $2', 'not archived'];
  if (q.owner) {
    const { property, values, includeEmpty } = q.owner;
    const parts: string[] = [];
    if (property === 'hubspot_owner_id') {
      const ids = values.filter(numeric);
      if (ids.length) parts.push(`owner_id = any(${bind(ids)}::bigint[])`);
      if (includeEmpty) parts.push('owner_id is null');
    } else {
      const name = bind(property);
      if (values.length) parts.push(`properties->>${name} = any(${bind([...values])}::text[])`);
      if (includeEmpty) parts.push(`coalesce(properties->>${name}, '') = ''`);
    }
    if (parts.length === 0) return [];
    where.push(`(${parts.join(' or ')})`);
  }
  const names = [...new Set(q.properties)];
  const columns = names.map((n, i) => `properties->>${bind(n)} as p${i}`);
  const rows = await db.query<Record<string, unknown> & { id: number | bigint; created_at: Date | null }>(
    `select id, created_at${columns.length ? `, ${columns.join(', ')}` : ''} from crm_records where ${where.join(' and ')} order by id`,
    params,
  );
  return rows.map((r) => {
    const properties: Record<string, string | null> = {};
    names.forEach((n, i) => {
      const v = r[`p${i}`];
      if (v !== null && v !== undefined) properties[n] = String(v);
    });
    return { id: String(r.id), createdAt: r.created_at, properties };
  });
}
