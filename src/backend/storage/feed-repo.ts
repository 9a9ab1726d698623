import type { Queryable } from './database';

// The Feed's reads over the portal copy and its dismissals (migration 016). portal_id leads every key.

export type FeedContactRow = {
  id: string;
  properties: Record<string, string | null>;
  /** The first owned company the contact is associated with (id and properties). */
  companyId: string;
  companyProperties: Record<string, string | null>;
};

export type FeedEngagementRow = {
  objectType: 'emails' | 'meetings' | 'calls';
  id: string;
  contactId: string;
  properties: Record<string, string | null>;
  createdAt: Date | null;
  dueAt: Date | null;
};

export interface FeedRepo {
  /** The live contacts associated (either direction) with live companies the owner owns, with one such company each. */
  contactsOfOwnedCompanies(portalId: number, ownerId: string): Promise<FeedContactRow[]>;
  /** Live emails, meetings and calls associated with the contacts, one row per (engagement, contact). */
  engagementsOf(portalId: number, contactIds: string[]): Promise<FeedEngagementRow[]>;
  dismissed(portalId: number, userId: number): Promise<Set<string>>;
  dismiss(portalId: number, userId: number, itemId: string, at: Date): Promise<void>;
  /** Whether a dismissal was there to undo. */
  restore(portalId: number, userId: number, itemId: string): Promise<boolean>;
}

export function createFeedRepo(db: Queryable): FeedRepo {
  return {
    async contactsOfOwnedCompanies(portalId, ownerId) {
      if (!/^\d{1,18}$/.test(ownerId)) return [];
      const rows = await db.query<{
        id: number | bigint;
        properties: Record<string, string | null>;
        company_id: number | bigint;
        company_properties: Record<string, string | null>;
      }>(
        `with owned as (
           select id, properties from crm_records
            where portal_id = $1 and object_type = 'companies' and owner_id = $2::bigint and not archived
         ), pairs as (
           select a.from_id as contact_id, a.to_id as company_id from crm_associations a join owned o on o.id = a.to_id
            where a.portal_id = $1 and a.from_type = 'contacts' and a.to_type = 'companies'
           union
           select a.to_id, a.from_id from crm_associations a join owned o on o.id = a.from_id
            where a.portal_id = $1 and a.from_type = 'companies' and a.to_type = 'contacts'
         ), firsts as (
           select contact_id, min(company_id) as company_id from pairs group by contact_id
         )
         select c.id, c.properties, f.company_id, o.properties as company_properties
           from firsts f
           join crm_records c on c.portal_id = $1 and c.object_type = 'contacts' and c.id = f.contact_id and not c.archived
           join owned o on o.id = f.company_id`,
        [portalId, ownerId],
      );
      return rows.map((r) => ({
        id: String(r.id),
        properties: r.properties,
        companyId: String(r.company_id),
        companyProperties: r.company_properties,
      }));
    },

    async engagementsOf(portalId, contactIds) {
      if (contactIds.length === 0) return [];
      const rows = await db.query<{
        object_type: 'emails' | 'meetings' | 'calls';
        id: number | bigint;
        contact_id: number | bigint;
        properties: Record<string, string | null>;
        created_at: Date | null;
        due_at: Date | null;
      }>(
        `with pairs as (
           select a.to_type as object_type, a.to_id as id, a.from_id as contact_id from crm_associations a
            where a.portal_id = $1 and a.from_type = 'contacts' and a.from_id = any($2::bigint[])
              and a.to_type in ('emails', 'meetings', 'calls')
           union
           select a.from_type, a.from_id, a.to_id from crm_associations a
            where a.portal_id = $1 and a.to_type = 'contacts' and a.to_id = any($2::bigint[])
              and a.from_type in ('emails', 'meetings', 'calls')
         )
         select p.object_type, p.id, p.contact_id, r.properties, r.created_at, r.due_at
           from pairs p
           join crm_records r on r.portal_id = $1 and r.object_type = p.object_type and r.id = p.id and not r.archived`,
        [portalId, contactIds],
      );
      return rows.map((r) => ({
        objectType: r.object_type,
        id: String(r.id),
        contactId: String(r.contact_id),
        properties: r.properties,
        createdAt: r.created_at,
        dueAt: r.due_at,
      }));
    },

    async dismissed(portalId, userId) {
      const rows = await db.query<{ item_id: string }>('select item_id from feed_dismissals where portal_id = $1 and user_id = $2', [
        portalId,
        userId,
      ]);
      return new Set(rows.map((r) => r.item_id));
    },

    async dismiss(portalId, userId, itemId, at) {
      await db.query(
        `insert into feed_dismissals (portal_id, user_id, item_id, dismissed_at) values ($1, $2, $3, $4)
         on conflict (portal_id, user_id, item_id) do nothing`,
        [portalId, userId, itemId, at.toISOString()],
      );
    },

    async restore(portalId, userId, itemId) {
      const rows = await db.query<{ item_id: string }>(
        'delete from feed_dismissals where portal_id = $1 and user_id = $2 and item_id = $3 returning item_id',
        [portalId, userId, itemId],
      );
      return rows.length > 0;
    },
  };
}
