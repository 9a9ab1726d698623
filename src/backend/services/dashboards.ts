import { randomBytes } from 'node:crypto';
import { AppError } from '../app-error';
import type { Dashboard, DashboardInput, DashboardResponse, DashboardsResponse, DashboardTeamsResponse } from '../contract/summary';
import { REPORT_IDS } from '../contract/summary';
import type { PortalCrm } from '../crm/gateway';
import { REPORT_GALLERY } from '../engines/reports';
import type { Owner } from '../crm/types';
import { createCopyRepo, createSummaryRepo, type Database, type StoredDashboard } from '../storage';
import { portalOwners } from './owners';
import type { ReportViewer, SummaryReportsService } from './summary-reports';

// CS-DASH-1 / SW-5: named dashboards (reports of the gallery and links to HubSpot dashboards),
// seen by everyone or by the members of chosen teams. Teams are the owners' teams[] (HubSpot's owners
// API), as the portal copy keeps them (migration 022; refreshed with the owners at every reconciliation).
// docs/decisions/0013-summary-reports-and-dashboards.md.

export type DashboardViewer = ReportViewer & { isManager: boolean };

const personName = (o: Owner) => [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `User ${o.userId}`;

export type DashboardsService = ReturnType<typeof dashboardsService>;

export function dashboardsService(deps: { db: Database; now: () => number; reports: SummaryReportsService }) {
  const repo = createSummaryRepo(deps.db);
  const copy = createCopyRepo(deps.db);

  /** The portal's users as owners, with their teams. */
  async function people(crm: PortalCrm): Promise<Owner[]> {
    return (await portalOwners(copy, crm)).filter((o) => o.userId !== null && !o.archived);
  }

  /** The teams of the portal with their members (users only), by name. */
  function teamsOf(owners: readonly Owner[]): DashboardTeamsResponse['teams'] {
    const teams = new Map<string, { id: string; name: string; members: { userId: number; name: string }[] }>();
    for (const o of owners) {
      for (const t of o.teams ?? []) {
        const team = teams.get(t.id) ?? { id: t.id, name: t.name, members: [] };
        team.members.push({ userId: o.userId!, name: personName(o) });
        teams.set(t.id, team);
      }
    }
    return [...teams.values()]
      .map((t) => ({ ...t, members: t.members.sort((a, b) => a.name.localeCompare(b.name)) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Who sees a dashboard: its creator, managers, and everyone or the members of its teams. */
  function sees(d: StoredDashboard, userId: number, isManager: boolean, owners: readonly Owner[]): boolean {
    if (d.createdBy === userId || isManager || d.access.kind === 'everyone') return true;
    const mine = new Set(owners.find((o) => o.userId === userId)?.teams?.map((t) => t.id) ?? []);
    return d.access.teamIds.some((t) => mine.has(t));
  }

  function toDashboard(d: StoredDashboard, v: DashboardViewer, owners: readonly Owner[]): Dashboard {
    const creator = owners.find((o) => o.userId === d.createdBy);
    return {
      id: d.id,
      name: d.name,
      reportIds: d.reportIds as Dashboard['reportIds'],
      hubspotLinks: d.hubspotLinks,
      access: d.access,
      createdBy: { userId: d.createdBy, name: creator ? personName(creator) : `User ${d.createdBy}` },
      createdAt: d.createdAt.toISOString(),
      deletable: d.createdBy === v.userId || v.isManager,
    };
  }

  // Viewing as another user shows what that user sees (a manager's own rights do not carry over).
  const shownAs = (v: DashboardViewer) => ({ userId: v.viewAsUserId, isManager: v.viewAsUserId === v.userId && v.isManager });

  async function visible(crm: PortalCrm, v: DashboardViewer, id: string): Promise<{ d: StoredDashboard; owners: Owner[] }> {
    const [d, owners] = await Promise.all([repo.dashboard(v.portalId, id), people(crm)]);
    const as = shownAs(v);
    if (!d || !sees(d, as.userId, as.isManager, owners))
      throw new AppError('NOT_FOUND', 'There is no such dashboard, or it is not shared with you.');
    return { d, owners };
  }

  return {
    async teams(crm: PortalCrm): Promise<DashboardTeamsResponse> {
      return { teams: teamsOf(await people(crm)) };
    },

    async list(crm: PortalCrm, v: DashboardViewer): Promise<DashboardsResponse> {
      const [all, owners] = await Promise.all([repo.dashboards(v.portalId), people(crm)]);
      const as = shownAs(v);
      return {
        dashboards: all.filter((d) => sees(d, as.userId, as.isManager, owners)).map((d) => toDashboard(d, v, owners)),
        gallery: REPORT_IDS.map((id) => REPORT_GALLERY[id]),
      };
    },

    async open(crm: PortalCrm, v: DashboardViewer, id: string): Promise<DashboardResponse> {
      const { d, owners } = await visible(crm, v, id);
      const { reports, warnings, ...freshness } = await deps.reports.compute(crm, v, d.reportIds as Dashboard['reportIds']);
      const body: DashboardResponse = { ...freshness, dashboard: toDashboard(d, v, owners), reports };
      return warnings.length ? { ...body, partial: true, warnings } : body;
    },

    /** Adds a dashboard as the calling user, once they confirmed that its audience gets view access. */
    async create(crm: PortalCrm, v: DashboardViewer, input: DashboardInput): Promise<Dashboard> {
      const errors: { field: string; issue: string }[] = [];
      if (!input.confirmViewAccess)
        errors.push({ field: 'confirmViewAccess', issue: 'confirm that everyone the dashboard is shared with gets view access' });
      if (input.reportIds.length === 0 && input.hubspotLinks.length === 0)
        errors.push({ field: 'reportIds', issue: 'a dashboard needs at least one report or HubSpot link' });
      const owners = await people(crm);
      if (input.access.kind === 'teams') {
        const known = new Set(teamsOf(owners).map((t) => t.id));
        input.access.teamIds.forEach((t, i) => {
          if (!known.has(t)) errors.push({ field: `access.teamIds.${i}`, issue: `there is no team "${t}" in this portal` });
        });
      }
      if (errors.length)
        throw new AppError('BAD_REQUEST', `The dashboard cannot be added: ${errors.map((e) => e.issue).join('; ')}.`, errors);
      const at = new Date(deps.now());
      const stored: StoredDashboard = {
        id: `d-${randomBytes(8).toString('hex')}`,
        name: input.name,
        reportIds: [...new Set(input.reportIds)],
        hubspotLinks: input.hubspotLinks,
        access: input.access.kind === 'everyone' ? { kind: 'everyone' } : { kind: 'teams', teamIds: [...new Set(input.access.teamIds)] },
        createdBy: v.userId,
        createdAt: at,
        accessConfirmedAt: at,
      };
      await repo.insertDashboard(v.portalId, stored);
      return toDashboard(stored, v, owners);
    },

    /** Deletes after confirmation; only its creator or a manager may. */
    async remove(v: DashboardViewer, id: string, confirm: boolean): Promise<void> {
      const d = await repo.dashboard(v.portalId, id);
      if (!d) throw new AppError('NOT_FOUND', 'There is no such dashboard.');
      if (d.createdBy !== v.userId && !v.isManager)
        throw new AppError('FORBIDDEN', 'Only the person who added a dashboard, or a manager, can delete it.');
      if (!confirm)
        throw new AppError('BAD_REQUEST', 'Deleting a dashboard needs confirmation.', [
          { field: 'confirm', issue: 'must be true to delete' },
        ]);
      await repo.deleteDashboard(v.portalId, id);
    },
  };
}
