import { AppError } from '../app-error';
import type { Freshness, HealthSummaryResponse } from '../contract/api';
import type { HubSpotLink, ReportData, ReportId, SummaryReportsInput, SummaryReportsResponse } from '../contract/summary';
import { REPORT_IDS } from '../contract/summary';
import { CrmError } from '../crm/errors';
import type { PortalCrm } from '../crm/gateway';
import { readDate, readDatetime } from '../crm/values';
import {
  activityPerCsm,
  customersByHealth,
  DEFAULT_REPORTS,
  healthTrend,
  MAX_CHOSEN_REPORTS,
  meetingsPerWeek,
  renewalsByMonth,
  REPORT_GALLERY,
  tasksCompletedPerWeek,
} from '../engines/reports';
import { createCopyRepo, createSummaryRepo, listSlimRecords, type CopyOwner, type Database } from '../storage';
import { freshnessOf } from '../sync/status';
import { customersSettings } from './customer-success/settings';
import { warningFor } from './crm-errors';
import { copyTimeZone } from './time-zone';

// CS-SUM-6: the gallery of reports computed from the portal copy, each user's choice of up to
// five (migration 015) and links to their reports in HubSpot. Dashboards (services/dashboards.ts)
// compute the same reports. The health reports read the stored scores through the health queries.

const DAY = 86_400_000;
const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes'] as const;

export type ReportViewer = { portalId: number; userId: number; viewAsUserId: number };

export type SummaryReportsDeps = {
  db: Database;
  now: () => number;
  /** The health summary of the user's customers (stored scores), as the Summary's health section reads it. */
  healthSummary: (crm: PortalCrm, v: { portalId: number; viewAsUserId: number; scope: 'mine' }) => Promise<HealthSummaryResponse>;
};

export type SummaryReportsService = ReturnType<typeof summaryReportsService>;

// Reports are weekly and monthly aggregates: a computed set is served for a minute (per portal,
// user shown and reports), so reopening the Summary or a dashboard reads nothing again.
const CACHE_MS = 60_000;
const CACHE_ENTRIES = 1_000;
const PARTIAL_CACHE_MS = 5_000;

const ownerName = (o: CopyOwner) => [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `Owner ${o.id}`;

export function summaryReportsService(deps: SummaryReportsDeps) {
  const { db, now } = deps;
  const copy = createCopyRepo(db);
  const repo = createSummaryRepo(db);

  const cache = new Map<string, { at: number; value: Freshness & { reports: ReportData[]; warnings: string[] } }>();

  /** `ids` for the user shown: computed at most once a minute (see CACHE_MS). */
  async function compute(
    crm: PortalCrm,
    v: ReportViewer,
    ids: readonly ReportId[],
  ): Promise<Freshness & { reports: ReportData[]; warnings: string[] }> {
    const key = JSON.stringify([v.portalId, v.viewAsUserId, ids]);
    const hit = cache.get(key);
    if (hit && now() - hit.at < (hit.value.warnings.length ? PARTIAL_CACHE_MS : CACHE_MS)) return hit.value;
    const value = await computeNow(crm, v, ids);
    // A partial answer (the copy still loading, no health run yet, HubSpot failing for the default
    // profile) is kept a few seconds only: a burst of opens reads once, and the next open soon after
    // tries again.
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: now(), value });
    return value;
  }

  /** Computes `ids` for the user shown, reading only what those reports need (in parallel). */
  async function computeNow(
    crm: PortalCrm,
    v: ReportViewer,
    ids: readonly ReportId[],
  ): Promise<Freshness & { reports: ReportData[]; warnings: string[] }> {
    const at = now();
    const wanted = new Set(ids);
    // Round 1: freshness, the user's zone, the owners (who the user is as an owner; owner names).
    const [freshness, tz, owners] = await Promise.all([
      freshnessOf(copy, v.portalId, at),
      copyTimeZone(copy, v.portalId, v.viewAsUserId),
      copy.owners(v.portalId),
    ]);
    const warnings = [...tz.warnings];
    const owner = owners.find((o) => o.userId === v.viewAsUserId && !o.archived);
    const notOwner = 'This user is not a HubSpot owner, so no records are assigned to them.';

    // Round 2: one read per report.
    const health = async (): Promise<HealthSummaryResponse | string> => {
      try {
        const s = await deps.healthSummary(crm, { portalId: v.portalId, viewAsUserId: v.viewAsUserId, scope: 'mine' });
        if (s.partial) warnings.push(...(s.warnings ?? []));
        return s;
      } catch (err) {
        // Only HubSpot's failures become a sentence; anything else is a bug or a refusal to surface.
        if (!(err instanceof CrmError)) throw err;
        const why = warningFor('The health scores', err);
        warnings.push(why);
        return why;
      }
    };
    const needsHealth = wanted.has('customers-by-health') || wanted.has('health-trend-30-days');
    const summary = needsHealth ? health() : Promise.resolve(null);

    const compute1 = async (id: ReportId): Promise<ReportData> => {
      switch (id) {
        case 'customers-by-health': {
          const s = await summary;
          return typeof s === 'string' || s === null ? customersByHealth(null, s ?? undefined) : customersByHealth(s.categories);
        }
        case 'health-trend-30-days': {
          const s = await summary;
          return typeof s === 'string' || s === null
            ? healthTrend([], tz.timeZone, at, s ?? undefined)
            : healthTrend(s.history, tz.timeZone, at);
        }
        case 'renewals-by-month': {
          const settings = await customersSettings(db, v.portalId);
          if (!settings.renewalDateProperty)
            return renewalsByMonth([], tz.timeZone, at, 'No renewal-date property is chosen in the Customer Success settings.');
          if (!owner) return renewalsByMonth([], tz.timeZone, at, notOwner);
          const prop = settings.renewalDateProperty;
          const [records, defs] = await Promise.all([
            listSlimRecords(db, v.portalId, settings.objectType, {
              properties: [prop],
              owner: { property: settings.csmProperty, values: [owner.id], includeEmpty: false },
            }),
            copy.propertyDefinitions<{ name: string; type: string }>(v.portalId, settings.objectType),
          ]);
          const isDate = defs.find((d) => d.name === prop)?.type === 'date';
          const renewals = records.flatMap((r): (number | string)[] => {
            const raw = r.properties[prop];
            const ms = isDate ? readDate(raw) : readDatetime(raw);
            if (ms === null) return [];
            return [isDate ? new Date(ms).toISOString().slice(0, 10) : ms];
          });
          return renewalsByMonth(renewals, tz.timeZone, at);
        }
        case 'tasks-completed-per-week': {
          if (!owner) return { ...tasksCompletedPerWeek([], tz.timeZone, at), empty: notOwner };
          const dates = await repo.completedTaskDates(v.portalId, owner.id, new Date(at - 63 * DAY));
          return tasksCompletedPerWeek(
            dates.map((d) => readDatetime(d)).filter((d): d is number => d !== null),
            tz.timeZone,
            at,
          );
        }
        case 'meetings-per-week': {
          if (!owner) return { ...meetingsPerWeek([], tz.timeZone, at), empty: notOwner };
          const meetings = await copy.listRecords(v.portalId, 'meetings', {
            ownerId: owner.id,
            dueFrom: new Date(at - 63 * DAY),
            dueBefore: new Date(at + 1),
          });
          return meetingsPerWeek(
            meetings.map((m) => m.dueAt?.getTime()).filter((d): d is number => d !== undefined),
            tz.timeZone,
            at,
          );
        }
        case 'activity-per-csm': {
          const counts = await repo.engagementsPerOwner(v.portalId, ENGAGEMENTS, new Date(at - 30 * DAY), new Date(at + 1));
          const names = new Map(owners.map((o) => [o.id, ownerName(o)]));
          return activityPerCsm(
            counts.filter((c) => c.ownerId !== null).map((c) => ({ owner: names.get(c.ownerId!) ?? `Owner ${c.ownerId}`, count: c.count })),
          );
        }
      }
    };
    const reports = await Promise.all(ids.map(compute1));
    return { ...freshness, reports, warnings: [...new Set(warnings)] };
  }

  async function answer(crm: PortalCrm, v: ReportViewer, chosen: ReportId[], hubspotLinks: HubSpotLink[]): Promise<SummaryReportsResponse> {
    const { reports, warnings, ...freshness } = await compute(crm, v, chosen);
    const body: SummaryReportsResponse = {
      ...freshness,
      gallery: REPORT_IDS.map((id) => REPORT_GALLERY[id]),
      chosen,
      reports,
      hubspotLinks,
    };
    return warnings.length ? { ...body, partial: true, warnings } : body;
  }

  return {
    compute,

    /** The user's chosen reports (the defaults until they choose), computed, with their HubSpot links. */
    async read(crm: PortalCrm, v: ReportViewer): Promise<SummaryReportsResponse> {
      const stored = await repo.reportChoice(v.portalId, v.viewAsUserId);
      const chosen = (stored?.reportIds ?? DEFAULT_REPORTS).filter((id): id is ReportId => (REPORT_IDS as readonly string[]).includes(id));
      return answer(crm, v, chosen, stored?.hubspotLinks ?? []);
    },

    /** Saves the user's own choice (not while viewing as someone else) and answers as `read`. */
    async save(crm: PortalCrm, v: ReportViewer, input: SummaryReportsInput): Promise<SummaryReportsResponse> {
      if (v.viewAsUserId !== v.userId)
        throw new AppError('FORBIDDEN', 'You are viewing the workspace as another user: their reports are theirs to choose.');
      const chosen = [...new Set(input.chosen)];
      if (chosen.length > MAX_CHOSEN_REPORTS)
        throw new AppError('BAD_REQUEST', `Choose at most ${MAX_CHOSEN_REPORTS} reports.`, [
          { field: 'chosen', issue: `at most ${MAX_CHOSEN_REPORTS} reports` },
        ]);
      await repo.putReportChoice(v.portalId, v.userId, { reportIds: chosen, hubspotLinks: input.hubspotLinks }, new Date(now()));
      return answer(crm, v, chosen, input.hubspotLinks);
    },
  };
}
