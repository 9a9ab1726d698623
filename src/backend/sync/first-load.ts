// The first load of a portal's copy: metadata, then every object type page by page with its
// associations, at background priority, resumable from the cursor stored after each page.
import { CrmError } from '../crm/errors';
import type { PortalCrm } from '../crm/gateway';
import type { CrmRecord, SearchRequest } from '../crm/types';
import type { CopyRepo, SyncState } from '../storage';
import { copyRepo, errorMessage, inBackground, readAssociations, readHistory, syncObjectsOf, writeRecords, type SyncDeps } from './context';
import { DAY_MS, ENGAGEMENT_WINDOW_DAYS, PIPELINE_TYPES, type SyncObject } from './objects';

/**
 * Every object type is loaded at once, each reading its next page (and the page's associations
 * and history) while it stores the current one, so HubSpot's limits — not one page's 100 ms calls
 * after another's, nor the last type left loading alone — set the pace (issue #11,
 * docs/decisions/0007). At most STORING_PAGES pages of a portal are written at once, each in one
 * transaction holding one database connection; no HubSpot call is made while a page holds one.
 */
const STORING_PAGES = 3;

/**
 * The copy's tables are analyzed when this load has stored this many records, and again each time
 * that count doubles: a first load grows them from a few rows to hundreds of thousands, and a
 * statement planned on the old statistics (a page's association delete) scans a whole type's pairs
 * instead of looking up its hundred ids — from ~1 ms to tens of ms per page, growing with the table
 * (autovacuum's analyze may be off or late).
 */
const ANALYZE_FIRST_AT = 2_000;

/** PostgreSQL's deadlock_detected: a page's transaction crossed another writer's (a webhook, a poll); it is written again. */
const DEADLOCK = '40P01';

/** At most `n` of the functions passed run at once; the others wait in turn. */
function semaphore(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

class StoppedError extends Error {}

export type FirstLoadResult = { ready: boolean; records: Record<string, number>; errors: Record<string, string> };

/** The search filters of a windowed type (engagements, tasks): the window, and open tasks of any age. */
export function windowFilters(obj: SyncObject, now: number): SearchRequest['filterGroups'] {
  if (!obj.windowProperty) return [];
  const since = String(now - ENGAGEMENT_WINDOW_DAYS * DAY_MS);
  const groups: SearchRequest['filterGroups'] = [{ filters: [{ propertyName: obj.windowProperty, operator: 'GTE', value: since }] }];
  if (obj.openStatus) groups.push({ filters: [{ propertyName: obj.openStatus.property, operator: 'NEQ', value: obj.openStatus.closed }] });
  return groups;
}

/**
 * Loads (or resumes loading) every object type of the portal that is not ready yet. An object type
 * that fails is left in state 'error' with its cursor, and resumed by the next call.
 */
export function runFirstLoad(deps: SyncDeps, portalId: number): Promise<FirstLoadResult> {
  return inBackground(async () => {
    const crm = deps.crm.portal(portalId);
    const repo = copyRepo(deps);
    const objects = await syncObjectsOf(deps, portalId);
    const states = new Map((await repo.syncStates(portalId)).map((s) => [s.objectType, s]));
    await reloadForNewProperties(deps, repo, portalId, objects, states);
    const pending = objects.filter((o) => states.get(o.objectType)?.state !== 'ready');
    const result: FirstLoadResult = { ready: true, records: {}, errors: {} };
    if (pending.length === 0) return result;
    const started = deps.now();
    for (const o of pending) {
      if (!states.has(o.objectType)) await repo.putSyncState(portalId, o.objectType, { state: 'pending' }, new Date(started));
    }
    deps.logger.info({ portalId, objectTypes: pending.map((o) => o.objectType) }, 'copy: first load started');
    try {
      await loadMetadata(deps, crm, repo, objects);
    } catch (err) {
      const error = err instanceof CrmError ? `${err.kind}: ${err.message}` : errorMessage(err);
      for (const o of pending) await repo.putSyncState(portalId, o.objectType, { state: 'error', error }, new Date(deps.now()));
      deps.logger.warn({ portalId, err }, "copy: first load could not read the portal's owners, users or account");
      return { ready: false, records: {}, errors: Object.fromEntries(pending.map((o) => [o.objectType, error])) };
    }

    const storing = semaphore(STORING_PAGES);
    const grown = growthAnalyzer(deps, repo, portalId);
    await Promise.all(
      pending.map(async (obj) => {
        try {
          result.records[obj.objectType] = await loadObject(deps, crm, repo, obj, storing, grown);
        } catch (err) {
          result.ready = false;
          if (err instanceof StoppedError) return; // its state stays "loading" with its cursor
          result.errors[obj.objectType] = errorMessage(err);
          const error = err instanceof CrmError ? `${err.kind}: ${err.message}` : errorMessage(err);
          await repo.putSyncState(portalId, obj.objectType, { state: 'error', error }, new Date(deps.now()));
          deps.logger.warn(
            { portalId, objectType: obj.objectType, err },
            'copy: first load of an object type failed; it resumes from its cursor',
          );
        }
      }),
    );
    // The tables just grew (by a whole portal): plan the next queries on their real sizes.
    await grown.settled();
    if (Object.keys(result.records).length) await repo.analyze();
    deps.logger.info({ portalId, ms: deps.now() - started, records: result.records, errors: result.errors }, 'copy: first load finished');
    return result;
  });
}

/**
 * A loaded type whose settings now ask for properties its load did not read (a CSM or renewal-date
 * property newly named, CS-SET-1..3) is loaded again from the start: its records are upserted with
 * the new properties, and its answers stay served (marked syncing) meanwhile. A type loaded before
 * the loaded properties were recorded gets today's list recorded, without a reload.
 */
async function reloadForNewProperties(
  deps: SyncDeps,
  repo: CopyRepo,
  portalId: number,
  objects: SyncObject[],
  states: Map<string, SyncState>,
): Promise<void> {
  for (const o of objects) {
    const st = states.get(o.objectType);
    if (st?.state !== 'ready') continue;
    const now = new Date(deps.now());
    if (st.loadedProperties === null) {
      await repo.putSyncState(portalId, o.objectType, { loadedProperties: o.properties }, now);
      continue;
    }
    const had = new Set(st.loadedProperties);
    const added = o.properties.filter((p) => !had.has(p));
    if (!added.length) continue;
    deps.logger.info(
      { portalId, objectType: o.objectType, added },
      'copy: new properties are read (settings or a new version of Tiller); loading the type again',
    );
    states.set(o.objectType, await repo.putSyncState(portalId, o.objectType, { state: 'pending', loadStartedAt: null, cursor: null }, now));
  }
}

/**
 * Owners (with their teams), users, the account's time zone, pipelines and property definitions:
 * at the first load, and again at every reconciliation (HubSpot sends no webhook for them).
 */
export async function loadMetadata(deps: SyncDeps, crm: PortalCrm, repo: CopyRepo, objects: SyncObject[]): Promise<void> {
  const portalId = crm.portalId;
  const [owners, users, account] = await Promise.all([crm.owners(), crm.users(), crm.account()]);
  await repo.replaceOwners(portalId, owners);
  await repo.replaceUsers(portalId, users);
  await repo.putPortal(portalId, { timeZone: account.timeZone }, new Date(deps.now()));
  await Promise.all([
    // Custom objects chosen in settings may have pipelines too (Services, Revenue: CS-SET-2/3).
    ...[...PIPELINE_TYPES, ...objects.map((o) => o.objectType).filter((t) => /^2-\d+$/.test(t))].map(async (t) => {
      try {
        await repo.replacePipelines(
          portalId,
          t,
          (await crm.pipelines(t)).map((p) => ({ id: p.id, pipeline: p })),
        );
      } catch (err) {
        deps.logger.warn({ portalId, objectType: t, err }, 'copy: pipelines not read');
      }
    }),
    ...objects.map(async (o) => {
      try {
        await repo.replacePropertyDefinitions(
          portalId,
          o.objectType,
          (await crm.properties(o.objectType)).map((d) => ({ name: d.name, definition: d })),
        );
      } catch (err) {
        deps.logger.warn({ portalId, objectType: o.objectType, err }, 'copy: property definitions not read');
      }
    }),
  ]);
}

/**
 * Counts the records a load stores and analyzes the copy's tables at ANALYZE_FIRST_AT, then at
 * every doubling, one analyze at a time, without holding the pages that trigger it.
 */
export function growthAnalyzer(
  deps: SyncDeps,
  repo: Pick<CopyRepo, 'analyze'>,
  portalId: number,
  firstAt = ANALYZE_FIRST_AT,
): { add(n: number): void; settled(): Promise<void> } {
  let stored = 0;
  let next = firstAt;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  return {
    add(n) {
      stored += n;
      if (stored < next || busy) return;
      while (next <= stored) next *= 2;
      busy = true;
      running = repo
        .analyze()
        .catch((err: unknown) => deps.logger.warn({ portalId, err: errorMessage(err) }, 'copy: analyze during the first load failed'))
        .finally(() => (busy = false));
    },
    settled: () => running,
  };
}

/** A page as listed: its records and the cursor of the next one (null after the last). */
type ReadPage = { records: CrmRecord[]; next: string | null };

/** Loads one object type from its stored cursor to the end; returns the records it holds. */
async function loadObject(
  deps: SyncDeps,
  crm: PortalCrm,
  repo: CopyRepo,
  obj: SyncObject,
  storing: <T>(fn: () => Promise<T>) => Promise<T>,
  grown: { add(n: number): void },
): Promise<number> {
  const portalId = crm.portalId;
  const type = obj.objectType;
  let state = await repo.syncState(portalId, type);
  if (!state?.loadStartedAt) {
    const startedAt = deps.now();
    const total = await crm
      .search(type, { filterGroups: windowFilters(obj, startedAt), properties: ['hs_object_id'], limit: 1 })
      .then((p) => p.total)
      .catch(() => null);
    // The high-water mark is taken before the first page: polls replay every change from it.
    state = await repo.putSyncState(
      portalId,
      type,
      {
        state: 'loading',
        loadStartedAt: new Date(startedAt),
        highWaterMs: startedAt,
        cursor: null,
        records: 0,
        totalEstimate: total,
        error: null,
      },
      new Date(startedAt),
    );
  } else {
    state = await repo.putSyncState(portalId, type, { state: 'loading', error: null }, new Date(deps.now()));
  }
  const windowStart = state.loadStartedAt!.getTime();
  const runStarted = deps.now();
  let cursor = state.cursor;
  let loaded = state.records;
  let loadedThisRun = 0;
  let lastLog = runStarted;
  const readPage = async (after: string | null): Promise<ReadPage> => {
    if (obj.windowProperty) {
      const page = await crm.scanPage(type, { filterGroups: windowFilters(obj, windowStart), properties: obj.properties }, after);
      return { records: page.results, next: page.done ? null : page.lastId };
    }
    const page = await crm.listPage(type, { properties: obj.properties, after });
    return { records: page.results, next: page.after };
  };
  // A page's associations and the tracked properties' past values (deals' next steps), read
  // before its turn to be written: a page holds a database connection only while it is written.
  const readWithPage = async (records: CrmRecord[]) => {
    const ids = records.map((r) => r.id);
    const [pairs, history] = await Promise.all([readAssociations(crm, obj, ids), readHistory(crm, type, ids)]);
    return { pairs, history };
  };
  /** One page written in one transaction: rows, pairs, history and the cursor past it. */
  const writePage = async (records: CrmRecord[], read: Awaited<ReturnType<typeof readWithPage>>, next: string | null) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await repo.batch(async (tx) => {
          await writeRecords(deps, tx, portalId, obj, records, read.pairs);
          await tx.addPropertyHistory(portalId, type, read.history);
          await tx.putSyncState(portalId, type, { cursor: next, records: loaded + records.length }, new Date(deps.now()));
        });
        break;
      } catch (err) {
        if (attempt >= 3 || (err as { code?: unknown }).code !== DEADLOCK) throw err;
      }
    }
    loaded += records.length;
    loadedThisRun += records.length;
    cursor = next;
    grown.add(records.length);
  };

  let reading = readPage(cursor);
  // The previous page's write, awaited before the next page is written (the cursor moves in
  // order) and before the load ends or stops.
  let written: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const { records, next } = await reading;
      // The next page is read while this one's associations are read and the previous page is
      // written: a type's pages then follow at HubSpot's pace rather than one page's calls after
      // another's. The cursor still moves only once a page is written; a page read ahead of a
      // failure or a stop is dropped (and read again on resume).
      if (next && !deps.stopped?.()) {
        reading = readPage(next);
        reading.catch(() => undefined); // awaited at the next turn; not unhandled if this page fails
      }
      const read = await readWithPage(records);
      await written;
      written = storing(() => writePage(records, read, next));
      written.catch(() => undefined); // awaited at the next turn or below
      const now = deps.now();
      if (next && now - lastLog >= 10_000) {
        lastLog = now;
        const rate = loadedThisRun / Math.max(1, now - runStarted); // records per ms
        const remaining = state.totalEstimate === null ? null : Math.max(0, state.totalEstimate - loaded);
        deps.logger.info(
          {
            portalId,
            objectType: type,
            records: loaded,
            total: state.totalEstimate,
            etaSeconds: remaining === null || rate === 0 ? null : Math.round(remaining / rate / 1000),
          },
          'copy: first load progress',
        );
      }
      if (!next) break;
      if (deps.stopped?.()) {
        await written;
        throw new StoppedError();
      }
    }
    await written;
  } finally {
    // A failure while a page is being written: its write ends (or fails) before the caller records the error.
    await written.catch(() => undefined);
  }
  const records = await repo.countRecords(portalId, type);
  await repo.putSyncState(
    portalId,
    type,
    { state: 'ready', cursor: null, records, loadedAt: new Date(deps.now()), loadedProperties: obj.properties, error: null },
    new Date(deps.now()),
  );
  deps.logger.info({ portalId, objectType: type, records, ms: deps.now() - runStarted }, 'copy: object type loaded');
  return records;
}
