import type { Queryable } from './database';

// Migration 015: each user's chosen Summary reports, and the dashboards.

export type ReportChoiceRow = { reportIds: string[]; hubspotLinks: { label: string; url: string }[]; updatedAt: Date };

export type StoredDashboard = {
  id: string;
  name: string;
  reportIds: string[];
  hubspotLinks: { label: string; url: string }[];
  access: { kind: 'everyone' } | { kind: 'teams'; teamIds: string[] };
  createdBy: number;
  createdAt: Date;
  accessConfirmedAt: Date;
};

export interface SummaryRepo {
  reportChoice(portalId: number, userId: number): Promise<ReportChoiceRow | undefined>;
  putReportChoice(portalId: number, userId: number, choice: Omit<ReportChoiceRow, 'updatedAt'>, now: Date): Promise<void>;
  /** Every dashboard of the portal, oldest first (access is decided by the caller: teams live in HubSpot). */
  dashboards(portalId: number): Promise<StoredDashboard[]>;
  dashboard(portalId: number, id: string): Promise<StoredDashboard | undefined>;
  insertDashboard(portalId: number, d: StoredDashboard): Promise<void>;
  deleteDashboard(portalId: number, id: string): Promise<boolean>;

  /** Live engagements of `types` dated in [from, to), counted per owner id (null: no owner). */
  engagementsPerOwner(
    portalId: number,
    types: readonly string[],
    from: Date,
    to: Date,
  ): Promise<{ ownerId: string | null; count: number }[]>;
  /** hs_task_completion_date of the owner's completed tasks modified since `since` (a completion modifies the task). */
  completedTaskDates(portalId: number, ownerId: string, since: Date): Promise<(string | null)[]>;
}

type DashboardRow = {
  id: string;
  name: string;
  report_ids: string[];
  hubspot_links: { label: string; url: string }[];
  access_kind: 'everyone' | 'teams';
  team_ids: string[];
  created_by: number | bigint;
  created_at: Date;
  access_confirmed_at: Date;
};

const DASHBOARD_COLUMNS = 'id, name, report_ids, hubspot_links, access_kind, team_ids, created_by, created_at, access_confirmed_at';

const toDashboard = (r: DashboardRow): StoredDashboard => ({
  id: r.id,
  name: r.name,
  reportIds: r.report_ids,
  hubspotLinks: r.hubspot_links,
  access: r.access_kind === 'everyone' ? { kind: 'everyone' } : { kind: 'teams', teamIds: r.team_ids },
  createdBy: Number(r.created_by),
  createdAt: r.created_at,
  accessConfirmedAt: r.access_confirmed_at,
});

export function createSummaryRepo(db: Queryable): SummaryRepo {
  return {
    async reportChoice(portalId, userId) {
      const row = await db.maybeOne<{ report_ids: string[]; hubspot_links: { label: string; url: string }[]; updated_at: Date }>(
        'select report_ids, hubspot_links, updated_at from summary_report_choices where portal_id = $1 and user_id = $2',
        [portalId, userId],
      );
      return row && { reportIds: row.report_ids, hubspotLinks: row.hubspot_links, updatedAt: row.updated_at };
    },

    async putReportChoice(portalId, userId, choice, now) {
      await db.query(
        `insert into summary_report_choices (portal_id, user_id, report_ids, hubspot_links, updated_at)
         values ($1, $2, $3::jsonb, $4::jsonb, $5)
         on conflict (portal_id, user_id) do update
           set report_ids = excluded.report_ids, hubspot_links = excluded.hubspot_links, updated_at = excluded.updated_at`,
        [portalId, userId, JSON.stringify(choice.reportIds), JSON.stringify(choice.hubspotLinks), now],
      );
    },

    async dashboards(portalId) {
      const rows = await db.query<DashboardRow>(
        `select ${DASHBOARD_COLUMNS} from dashboards where portal_id = $1 order by created_at, name, id`,
        [portalId],
      );
      return rows.map(toDashboard);
    },

    async dashboard(portalId, id) {
      const row = await db.maybeOne<DashboardRow>(`select ${DASHBOARD_COLUMNS} from dashboards where portal_id = $1 and id = $2`, [
        portalId,
        id,
      ]);
      return row && toDashboard(row);
    },

    async insertDashboard(portalId, d) {
      await db.query(
        `insert into dashboards (portal_id, id, name, report_ids, hubspot_links, access_kind, team_ids, created_by, created_at, access_confirmed_at)
         values ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::jsonb, $8, $9, $10)`,
        [
          portalId,
          d.id,
          d.name,
          JSON.stringify(d.reportIds),
          JSON.stringify(d.hubspotLinks),
          d.access.kind,
          JSON.stringify(d.access.kind === 'teams' ? d.access.teamIds : []),
          d.createdBy,
          d.createdAt,
          d.accessConfirmedAt,
        ],
      );
    },

    async deleteDashboard(portalId, id) {
      const rows = await db.query<{ id: string }>('delete from dashboards where portal_id = $1 and id = $2 returning id', [portalId, id]);
      return rows.length > 0;
    },

    async engagementsPerOwner(portalId, types, from, to) {
      const rows = await db.query<{ owner_id: number | bigint | null; n: number | bigint | string }>(
        `select owner_id, count(*) as n from crm_records
          where portal_id = $1 and object_type = any($2::text[]) and not archived and due_at >= $3 and due_at < $4
          group by owner_id`,
        [portalId, [...types], from, to],
      );
      return rows.map((r) => ({ ownerId: r.owner_id === null ? null : String(r.owner_id), count: Number(r.n) }));
    },

    async completedTaskDates(portalId, ownerId, since) {
      if (!/^\d{1,18}$/.test(ownerId)) return [];
      const rows = await db.query<{ done: string | null }>(
        `select properties->>'hs_task_completion_date' as done from crm_records
          where portal_id = $1 and object_type = 'tasks' and owner_id = $2::bigint and not archived
            and status = 'COMPLETED' and modified_at >= $3`,
        [portalId, ownerId, since],
      );
      return rows.map((r) => r.done);
    },
  };
}
