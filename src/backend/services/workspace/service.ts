import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../app-error';
import type {
  ArrAtRiskResponse,
  CopyFreshness,
  PropertyChoice,
  WorkspaceBoardResponse,
  WorkspacePipelinesResponse,
  WorkspaceColumn,
  WorkspaceDefaultsInput,
  WorkspaceFilters,
  WorkspaceMetaResponse,
  WorkspacePreviewResponse,
  WorkspaceRecordsResponse,
  WorkspaceRow,
  WorkspaceSort,
  WorkspaceView,
  WorkspaceViewInput,
  WorkspaceViewsResponse,
} from '../../contract/workspace';
import type { HealthCategory } from '../../contract/api';
import type { Pipeline } from '../../crm/types';
import { readDate, readDatetime, readValue } from '../../crm/values';
import type { PropertyFilter } from '../../engines/health/operators';
import { scoreRecord, type HealthInputRecord } from '../../engines/health';
import {
  arrAtRisk,
  boardColumns,
  BUILTIN_VIEWS,
  builtinView,
  combineFilters,
  countMatches,
  DEFAULT_SORT,
  isDateProperty,
  kindOf,
  OPERATORS_BY_KIND,
  queryRecords,
  recordPageUrl,
  resolveFilters,
  type BuiltinFilters,
  type FieldError,
  type PropertyDef,
  type PropertyKind,
  type ResolveContext,
  type ResolvedFilters,
  type SortKey,
  type ViewQuery,
  type WorkspaceRecord,
} from '../../engines/workspace';
import {
  createCopyRepo,
  createHealthRepo,
  createSettingsRepo,
  createWorkspaceRepo,
  listSlimRecords,
  type CopyOwner,
  type CopyRecord,
  type CsmAssignment,
  type Database,
  type StoredView,
} from '../../storage';
import { summarize } from '../../sync/status';
import { profileOf } from '../health/profiles';
import { customersSettings } from '../customer-success/settings';
import {
  pipelinePropertiesOf,
  readRevenueSetting,
  readServicesSetting,
  REVENUE_SETTING,
  SERVICES_SETTING,
  type PipelineObjectSetting,
} from '../../sync/workspace-objects';

// One object workspace (CS-CUS-1..3 now; Services and Revenue by configuration): the book of
// records from the portal copy, built-in and custom views, filters, sorting, keyset paging,
// counts per view, and a record preview. No HubSpot call: everything reads the copy.

export const WORKSPACES = ['customers', 'services', 'revenue'] as const;
export type WorkspaceKind = (typeof WORKSPACES)[number];

/** Pipelines of a Services or Revenue object (CS-SET-2/3). */
export type PipelineConfig = {
  pipelineProperty: string;
  stageProperty: string;
  visiblePipelines: string[] | null;
  defaultPipeline: string | null;
  defaultLayout: 'table' | 'board';
  stageRequirements: Record<string, string[]>;
};

/** What makes one workspace differ from another: the object and the properties with a role. */
export type WorkspaceConfig = {
  workspace: WorkspaceKind;
  objectType: string;
  /** The user property naming the record's CSM (or owner). */
  ownerProperty: string;
  renewalDateProperty: string | null;
  /** Key properties the preview shows first. */
  keyProperties: string[];
  /** Services and Revenue: the object's pipelines; null for customers. */
  pipelines: PipelineConfig | null;
  /** Revenue: the amount property. */
  amountProperty: string | null;
  /** Where the workspace's views and defaults are stored (revenue: one book per object). */
  storeKey: string;
  /** Revenue: every configured object, in order. */
  objects: string[];
};

const pipelineConfig = (s: PipelineObjectSetting): PipelineConfig => {
  const p = pipelinePropertiesOf(s.objectType);
  return {
    pipelineProperty: p.pipeline,
    stageProperty: p.stage,
    visiblePipelines: s.visiblePipelines,
    defaultPipeline: s.defaultPipeline,
    defaultLayout: s.defaultLayout,
    stageRequirements: s.stageRequirements,
  };
};

/**
 * The configuration of a workspace for a portal, from the settings (one source of truth). Revenue
 * shows one of its objects at a time: `object` (one of the configured ones), else the first.
 */
export async function configOf(db: Database, portalId: number, workspace: WorkspaceKind, object?: string): Promise<WorkspaceConfig> {
  switch (workspace) {
    case 'customers': {
      const s = await customersSettings(db, portalId);
      return {
        workspace,
        objectType: s.objectType,
        ownerProperty: s.csmProperty,
        renewalDateProperty: s.renewalDateProperty,
        keyProperties: ['name', 'domain', 'firstname', 'lastname', 'email', 'industry', 'lifecyclestage', 'phone', 'city', 'country'],
        pipelines: null,
        amountProperty: null,
        storeKey: 'customers',
        objects: [s.objectType],
      };
    }
    case 'services': {
      const s = readServicesSetting(await createSettingsRepo(db).getSetting<unknown>(portalId, SERVICES_SETTING));
      return {
        workspace,
        objectType: s.objectType,
        ownerProperty: s.csmProperty,
        renewalDateProperty: s.renewalDateProperty,
        keyProperties: ['hs_name', 'name', 'hs_pipeline', 'hs_pipeline_stage'],
        pipelines: pipelineConfig(s),
        amountProperty: null,
        storeKey: 'services',
        objects: [s.objectType],
      };
    }
    case 'revenue': {
      const all = readRevenueSetting(await createSettingsRepo(db).getSetting<unknown>(portalId, REVENUE_SETTING)).objects;
      const s = object === undefined ? all[0]! : all.find((o) => o.objectType === object);
      if (!s) {
        throw new AppError('BAD_REQUEST', `Revenue does not show ${object}: a manager chooses its objects in the settings.`, [
          { field: 'object', issue: `one of ${all.map((o) => o.objectType).join(', ')}` },
        ]);
      }
      return {
        workspace,
        objectType: s.objectType,
        ownerProperty: s.csmProperty,
        renewalDateProperty: s.renewalDateProperty,
        keyProperties: [
          'dealname',
          'name',
          'hs_name',
          ...(s.amountProperty ? [s.amountProperty] : []),
          'pipeline',
          'dealstage',
          'hs_pipeline',
          'hs_pipeline_stage',
        ],
        pipelines: pipelineConfig(s),
        amountProperty: s.amountProperty,
        storeKey: `revenue:${s.objectType}`,
        objects: all.map((o) => o.objectType),
      };
    }
  }
}

export type Viewer = { portalId: number; userId: number; viewAsUserId: number; isManager: boolean };

const DEFAULTS_KEY = (storeKey: string) => `workspace.${storeKey}.defaults`;
export const MAX_DEFAULTS = 6;
const BUILTIN_DEFAULTS: WorkspaceDefaultsInput['defaults'] = [
  { viewId: 'owned-by-me', description: 'Every customer you are the CSM of.' },
  { viewId: 'assigned-last-30-days', description: 'Customers assigned to you in the last 30 days.' },
];

/** Names of records by type, as HubSpot shows them. */
export function nameOf(objectType: string, id: string, p: Record<string, string | null>): string {
  switch (objectType) {
    case 'companies':
      return p.name || p.domain || `Company ${id}`;
    case 'contacts':
      return [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email || `Contact ${id}`;
    case 'deals':
      return p.dealname || `Deal ${id}`;
    case 'tickets':
      return p.subject || `Ticket ${id}`;
    case '0-162':
      return p.hs_name || `Service ${id}`;
    default:
      return p.name || p.hs_name || p.hs_object_name || `Record ${id}`;
  }
}

export const ownerName = (o: CopyOwner) => [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `Owner ${o.id}`;

function encodeCursor(sort: WorkspaceSort, key: SortKey): string {
  return Buffer.from(JSON.stringify({ s: `${sort.property}:${sort.direction}`, v: key.v, id: key.id })).toString('base64url');
}

function decodeCursor(sort: WorkspaceSort, after: string): SortKey {
  try {
    const c = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown; id?: unknown };
    const okValue = c.v === null || ['string', 'number', 'boolean'].includes(typeof c.v);
    if (c.s === `${sort.property}:${sort.direction}` && typeof c.id === 'string' && okValue) return { v: c.v as SortKey['v'], id: c.id };
  } catch {
    /* fall through */
  }
  throw new AppError('BAD_REQUEST', 'The paging cursor is not valid for this sort. Start again from the first page.', [
    { field: 'after', issue: 'not a cursor of this list and sort' },
  ]);
}

/** What a request knows of the workspace before reading records: settings, definitions, owners, viewer. */
type Context = {
  config: WorkspaceConfig;
  definitions: Map<string, PropertyDef>;
  owners: CopyOwner[];
  ctx: ResolveContext;
  freshness: CopyFreshness;
  /** Services and Revenue: the visible pipelines of the object, in HubSpot's order (from the copy). */
  pipelines: Pipeline[];
};

/** The pipelines a workspace shows: HubSpot's (as the copy holds them), the visible ones only, stages in order. */
export function visiblePipelines(all: readonly Pipeline[], config: WorkspaceConfig): Pipeline[] {
  if (!config.pipelines) return [];
  const visible = config.pipelines.visiblePipelines;
  return all
    .filter((p) => visible === null || visible.includes(p.id))
    .sort((a, b) => a.displayOrder - b.displayOrder || a.label.localeCompare(b.label))
    .map((p) => ({ ...p, stages: [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder) }));
}

/** Properties that name a record of each type (nameOf reads them). */
const NAME_PROPERTIES: Record<string, string[]> = {
  companies: ['name', 'domain'],
  contacts: ['firstname', 'lastname', 'email'],
  deals: ['dealname'],
  tickets: ['subject'],
  '0-162': ['hs_name'],
};

export type WorkspaceService = ReturnType<typeof workspaceService>;

/** Records held by the books' cache (all portals): about 40 MB of slim records. */
const BOOK_CACHE_RECORDS = 100_000;

export function workspaceService(db: Database, now: () => number) {
  const copy = createCopyRepo(db);
  const repo = createWorkspaceRepo(db);
  const settings = createSettingsRepo(db);
  const health = createHealthRepo(db);
  /** Books read from the copy, by portal, copy version and what was read (see loadRecords). */
  const books = new LRUCache<string, Promise<WorkspaceRecord[]>>({ maxSize: BOOK_CACHE_RECORDS, sizeCalculation: () => 1 });

  async function freshness(portalId: number): Promise<CopyFreshness> {
    return summarize(await copy.syncStates(portalId), now()).freshness;
  }

  async function loadContext(v: Viewer, workspace: WorkspaceKind, object?: string): Promise<Context> {
    const config = await configOf(db, v.portalId, workspace, object);
    const [defs, owners, portal, fresh, pipelines] = await Promise.all([
      copy.propertyDefinitions<PropertyDef>(v.portalId, config.objectType),
      copy.owners(v.portalId),
      copy.portal(v.portalId),
      freshness(v.portalId),
      config.pipelines ? copy.pipelines<Pipeline>(v.portalId, config.objectType) : Promise.resolve([]),
    ]);
    const me = owners.find((o) => o.userId === v.viewAsUserId && !o.archived);
    return {
      config,
      definitions: new Map(defs.map((d) => [d.name, d])),
      owners,
      ctx: { meOwnerId: me?.id ?? null, now: now(), timeZone: portal?.timeZone ?? 'UTC' },
      freshness: fresh,
      pipelines: visiblePipelines(pipelines, config),
    };
  }

  /**
   * The pipeline filter of a Services or Revenue request: one pipeline (it must be visible), else
   * every visible one when the settings hide some; nothing for customers.
   */
  function pipelineScope(book: Context, pipeline: string | undefined): PropertyFilter | null {
    const p = book.config.pipelines;
    if (!p) {
      if (pipeline !== undefined)
        throw new AppError('BAD_REQUEST', 'Customers have no pipelines.', [{ field: 'pipeline', issue: 'not taken by this workspace' }]);
      return null;
    }
    if (pipeline !== undefined) {
      if (!book.pipelines.some((x) => x.id === pipeline)) {
        throw new AppError('BAD_REQUEST', `There is no visible pipeline "${pipeline}" here.`, [
          { field: 'pipeline', issue: `one of ${book.pipelines.map((x) => x.id).join(', ') || 'no pipeline'}` },
        ]);
      }
      return { propertyName: p.pipelineProperty, operator: 'EQ', value: pipeline };
    }
    return p.visiblePipelines === null
      ? null
      : { propertyName: p.pipelineProperty, operator: 'IN', values: book.pipelines.map((x) => x.id) };
  }

  function withScope(f: ResolvedFilters, scope: PropertyFilter | null): ResolvedFilters {
    return scope ? { ...f, properties: [...(f.properties ?? []), scope] } : f;
  }

  /**
   * The records any of `filterSets` can hold, converted for the engine (0 HubSpot calls). When
   * every set names an owner, only those owners' records are read (a rep's book, not the portal),
   * and only the properties the sets, the sort and the columns use.
   */
  async function loadRecords(
    c: Context,
    v: Viewer,
    filterSets: readonly ResolvedFilters[],
    extra: readonly string[] = [],
  ): Promise<WorkspaceRecord[]> {
    const { config } = c;
    const wanted = new Set([
      ...(NAME_PROPERTIES[config.objectType] ?? ['name', 'hs_name', 'hs_object_name']),
      config.ownerProperty,
      'hubspot_owner_assigneddate',
      'notes_last_updated',
      'notes_last_contacted',
      'createdate',
      'hs_createdate',
      ...(config.renewalDateProperty ? [config.renewalDateProperty] : []),
      ...(config.pipelines ? [config.pipelines.pipelineProperty, config.pipelines.stageProperty] : []),
      ...(config.amountProperty ? [config.amountProperty] : []),
      ...filterSets.flatMap((f) => (f.properties ?? []).map((p) => p.propertyName)),
      ...extra.filter((n) => c.definitions.has(n)),
    ]);
    const owned = filterSets.length > 0 && filterSets.every((f) => f.owner !== undefined);
    const owners = [...new Set(filterSets.map((f) => f.owner).filter((o): o is string => typeof o === 'string'))].sort();
    const needsAssignments = filterSets.some((f) => f.assignedAt) || extra.includes('assignedAt');
    const typeOf = (name: string) => c.definitions.get(name)?.type;
    // The same book read again before the copy changed (a tab's views, counts and first page, the
    // next request) is served from memory: the copy's version moves on every write to it, so a
    // stale book is never served, on this instance or another.
    const version = await copy.copyVersion(v.portalId);
    const key = JSON.stringify([
      v.portalId,
      version,
      config.objectType,
      config.ownerProperty,
      config.renewalDateProperty,
      [...wanted].sort().map((n) => `${n}:${typeOf(n) ?? ''}`),
      owned ? [owners, filterSets.some((f) => f.owner === null)] : null,
      needsAssignments,
    ]);
    const cached = books.get(key);
    if (cached) return cached;
    const loading = readBook(c, v, wanted, owned, owners, filterSets, needsAssignments);
    books.set(key, loading);
    loading.then(
      (records) => {
        if (books.get(key) === loading) books.set(key, loading, { size: records.length + 1 });
      },
      () => books.delete(key),
    );
    return loading;
  }

  async function readBook(
    c: Context,
    v: Viewer,
    wanted: ReadonlySet<string>,
    owned: boolean,
    owners: string[],
    filterSets: readonly ResolvedFilters[],
    needsAssignments: boolean,
  ): Promise<WorkspaceRecord[]> {
    const { config } = c;
    const [rows, assignments] = await Promise.all([
      listSlimRecords(db, v.portalId, config.objectType, {
        properties: [...wanted],
        ...(owned
          ? { owner: { property: config.ownerProperty, values: owners, includeEmpty: filterSets.some((f) => f.owner === null) } }
          : {}),
      }),
      needsAssignments && config.ownerProperty !== 'hubspot_owner_id'
        ? repo.csmAssignments(v.portalId, config.objectType)
        : Promise.resolve(new Map<string, CsmAssignment>()),
    ]);
    const typeOf = (name: string) => c.definitions.get(name)?.type;
    return rows.map((r): WorkspaceRecord => {
      const p = r.properties;
      const csm = p[config.ownerProperty] || null;
      // When the CSM property was last set: HubSpot's own stamp for the owner property, else the
      // change the copy saw (migration 010), when it is about the current value.
      const a = assignments.get(r.id);
      const assignedAt =
        config.ownerProperty === 'hubspot_owner_id'
          ? readDatetime(p.hubspot_owner_assigneddate)
          : a && a.property === config.ownerProperty && a.value === csm && a.assignedAt
            ? a.assignedAt.getTime()
            : null;
      const renewal = config.renewalDateProperty ? p[config.renewalDateProperty] : null;
      const properties: Record<string, string | number | boolean | null> = {};
      for (const [name, raw] of Object.entries(p)) {
        const value = readValue(raw, typeOf(name));
        if (value !== undefined) properties[name] = value;
      }
      return {
        id: r.id,
        name: nameOf(config.objectType, r.id, p),
        csm,
        createdAt: r.createdAt?.getTime() ?? readDatetime(p.createdate ?? p.hs_createdate),
        lastActivityAt: readDatetime(p.notes_last_updated) ?? readDatetime(p.notes_last_contacted),
        assignedAt,
        renewalAt: renewal ? (typeOf(config.renewalDateProperty!) === 'date' ? readDate(renewal) : readDatetime(renewal)) : null,
        properties,
      };
    });
  }

  /** Checks filters against the object's properties: known names, operators of the property's type. */
  function checkFilters(book: Context, filters: WorkspaceFilters, field: string): void {
    const errors: FieldError[] = [];
    (filters.properties ?? []).forEach((f, i) => {
      const d = book.definitions.get(f.propertyName);
      if (!d)
        errors.push({
          field: `${field}.properties.${i}.propertyName`,
          issue: `${book.config.objectType} has no property "${f.propertyName}"`,
        });
      else if (!OPERATORS_BY_KIND[kindOf(d)].includes(f.operator)) {
        errors.push({
          field: `${field}.properties.${i}.operator`,
          issue: `${f.operator} does not apply to ${kindOf(d)} properties like "${d.label}"`,
        });
      } else if (
        ['IN', 'NOT_IN'].includes(f.operator)
          ? !f.values?.length
          : f.operator === 'BETWEEN'
            ? f.value === undefined || f.highValue === undefined
            : !['HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(f.operator) && f.value === undefined
      ) {
        errors.push({
          field: `${field}.properties.${i}.value`,
          issue: `${f.operator} needs ${['IN', 'NOT_IN'].includes(f.operator) ? 'values' : f.operator === 'BETWEEN' ? 'value and highValue' : 'a value'}`,
        });
      }
    });
    if (errors.length) throw new AppError('BAD_REQUEST', `Some filters are not valid: ${errors.map((e) => e.field).join(', ')}.`, errors);
  }

  /** Date filters on a date property compare whole days: turn ISO days into instants. */
  function typedFilters(book: Context, filters: BuiltinFilters): BuiltinFilters {
    if (!filters.properties?.length) return filters;
    return {
      ...filters,
      properties: filters.properties.map((f) => {
        const d = book.definitions.get(f.propertyName);
        if (!d || !isDateProperty(d)) return f;
        const toMs = (x: string | number | boolean | undefined) =>
          typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x) ? Date.parse(`${x}T00:00:00Z`) : x;
        return {
          ...f,
          value: toMs(f.value),
          highValue: toMs(f.highValue),
          values: f.values?.map((x) => toMs(x) as string | number | boolean),
        };
      }),
    };
  }

  async function defaultsOf(portalId: number, storeKey: string): Promise<WorkspaceDefaultsInput['defaults']> {
    const stored = await settings.getSetting<unknown>(portalId, DEFAULTS_KEY(storeKey));
    if (!Array.isArray(stored)) return BUILTIN_DEFAULTS;
    return stored.filter(
      (d): d is { viewId: string; description: string } => typeof d?.viewId === 'string' && typeof d?.description === 'string',
    );
  }

  function canEdit(v: Viewer, view: StoredView): boolean {
    return view.ownerUserId === v.userId || (view.sharing === 'everyone' && v.isManager);
  }

  function toView(v: Viewer, s: StoredView, count: number, defaults: WorkspaceDefaultsInput['defaults']): WorkspaceView {
    const position = defaults.findIndex((d) => d.viewId === s.id);
    return {
      id: s.id,
      name: s.name,
      kind: 'custom',
      sharing: s.sharing,
      ownerUserId: s.ownerUserId,
      query: s.query as ViewQuery,
      count,
      ...(position >= 0 ? { default: { description: defaults[position]!.description, position } } : {}),
      editable: canEdit(v, s),
    };
  }

  async function viewQuery(v: Viewer, storeKey: string, id: string): Promise<{ id: string; name: string; query: ViewQuery }> {
    const builtin = builtinView(id);
    if (builtin) return { id: builtin.id, name: builtin.name, query: builtin.query as ViewQuery };
    const stored = await repo.getView(v.portalId, storeKey, id);
    if (!stored || (stored.sharing === 'private' && stored.ownerUserId !== v.userId))
      throw new AppError('NOT_FOUND', `There is no view "${id}".`);
    return { id: stored.id, name: stored.name, query: stored.query as ViewQuery };
  }

  async function listViews(v: Viewer, workspace: WorkspaceKind, object?: string): Promise<WorkspaceViewsResponse> {
    const b = await loadContext(v, workspace, object);
    const [custom, defaults] = await Promise.all([
      repo.visibleViews(v.portalId, b.config.storeKey, v.userId),
      defaultsOf(v.portalId, b.config.storeKey),
    ]);
    const scope = pipelineScope(b, undefined);
    const all = [
      ...BUILTIN_VIEWS.map((x) => ({ id: x.id as string, query: x.query as ViewQuery })),
      ...custom.map((c) => ({ id: c.id, query: c.query as ViewQuery })),
    ];
    const resolved = all.map((x) => withScope(resolveFilters(typedFilters(b, x.query.filters), b.ctx), scope));
    const counts = countMatches(await loadRecords(b, v, resolved), resolved);
    const views: WorkspaceView[] = BUILTIN_VIEWS.map((x, i) => {
      const position = defaults.findIndex((d) => d.viewId === x.id);
      return {
        id: x.id,
        name: x.name,
        kind: 'builtin' as const,
        sharing: 'everyone' as const,
        ownerUserId: null,
        query: x.query as ViewQuery,
        count: counts[i]!,
        ...(position >= 0 ? { default: { description: defaults[position]!.description, position } } : {}),
        editable: false,
      };
    });
    custom.forEach((c, i) => views.push(toView(v, c, counts[BUILTIN_VIEWS.length + i]!, defaults)));
    return { ...b.freshness, views };
  }

  function columnsOf(book: Context): WorkspaceColumn[] {
    const label = (name: string, fallback: string) => book.definitions.get(name)?.label ?? fallback;
    const cols: WorkspaceColumn[] = [
      { key: 'name', label: 'Name', type: 'string' },
      { key: 'owner', label: label(book.config.ownerProperty, 'CSM'), type: 'user' },
      { key: 'createdate', label: 'Create date', type: 'datetime' },
      { key: 'lastActivity', label: 'Last activity', type: 'datetime' },
    ];
    if (book.config.pipelines) cols.push({ key: 'stage', label: 'Stage', type: 'string' });
    if (book.config.amountProperty) cols.push({ key: 'amount', label: label(book.config.amountProperty, 'Amount'), type: 'number' });
    if (book.config.renewalDateProperty)
      cols.push({ key: 'renewalDate', label: label(book.config.renewalDateProperty, 'Renewal date'), type: 'date' });
    return cols;
  }

  function toRow(book: Context, portalId: number, r: WorkspaceRecord): WorkspaceRow {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const owner = r.csm ? book.owners.find((o) => o.id === r.csm) : undefined;
    const values: WorkspaceRow['values'] = {
      name: r.name,
      owner: owner ? ownerName(owner) : r.csm,
      createdate: iso(r.createdAt),
      lastActivity: iso(r.lastActivityAt),
    };
    if (book.config.renewalDateProperty) values.renewalDate = iso(r.renewalAt);
    const row: WorkspaceRow = {
      id: r.id,
      name: r.name,
      values,
      owner: r.csm ? { id: r.csm, name: owner ? ownerName(owner) : `Owner ${r.csm}` } : null,
      url: recordPageUrl(portalId, book.config.objectType, r.id),
    };
    const p = book.config.pipelines;
    if (p) {
      const pipelineId = (r.properties[p.pipelineProperty] as string | undefined) || null;
      const stageId = (r.properties[p.stageProperty] as string | undefined) || null;
      const stage = book.pipelines.find((x) => x.id === pipelineId)?.stages.find((x) => x.id === stageId);
      row.stage = { pipelineId, stageId, label: stage?.label ?? stageId };
      values.stage = stage?.label ?? stageId;
    }
    if (book.config.amountProperty) {
      const a = r.properties[book.config.amountProperty];
      values.amount = typeof a === 'number' ? a : null;
    }
    return row;
  }

  function sortOf(book: Context, sort: WorkspaceSort | undefined): WorkspaceSort {
    const s = sort ?? DEFAULT_SORT;
    const fields = ['name', 'createdate', 'lastActivity', 'owner', 'renewalDate', 'assignedAt'];
    // Stage and amount sort on their properties.
    if (s.property === 'stage' && book.config.pipelines) return { ...s, property: book.config.pipelines.stageProperty };
    if (s.property === 'amount' && book.config.amountProperty) return { ...s, property: book.config.amountProperty };
    if (!fields.includes(s.property) && !book.definitions.has(s.property)) {
      throw new AppError('BAD_REQUEST', `The list cannot be sorted by "${s.property}".`, [
        { field: 'sort', issue: `not a column or a property of ${book.config.objectType}` },
      ]);
    }
    return s;
  }

  /** Sorting on the stage: its place in the visible pipelines (in order), then in its pipeline. */
  function stageRanks(book: Context, sort: WorkspaceSort): { ranks?: Map<string, number> } {
    if (!book.config.pipelines || sort.property !== book.config.pipelines.stageProperty) return {};
    const ranks = new Map<string, number>();
    for (const p of book.pipelines) for (const st of p.stages) if (!ranks.has(st.id)) ranks.set(st.id, ranks.size);
    return { ranks };
  }

  /** A property as the stage form's editor needs it (its choices: options, or active owners). */
  function choiceOf(book: Context, name: string): PropertyChoice {
    const d = book.definitions.get(name);
    if (!d) return { name, label: name, type: 'string', fieldType: 'text' };
    const e = editorOf(d, null, book.owners);
    return { name, label: d.label, type: kindOf(d), fieldType: d.fieldType, ...(e.options ? { options: e.options } : {}) };
  }

  function pipelinesOf(book: Context): WorkspacePipelinesResponse['pipelines'] {
    const req = book.config.pipelines?.stageRequirements ?? {};
    return book.pipelines.map((p) => ({
      id: p.id,
      label: p.label,
      stages: p.stages.map((st) => ({
        id: st.id,
        label: st.label,
        isClosed: st.metadata?.isClosed === 'true',
        requiredProperties: (req[st.id] ?? []).map((n) => choiceOf(book, n)),
      })),
    }));
  }

  return {
    listViews,

    /** CS-SRV-1: the visible pipelines with their stages and what each stage requires; the default pipeline and layout. */
    async pipelines(v: Viewer, workspace: WorkspaceKind, object?: string): Promise<WorkspacePipelinesResponse> {
      const book = await loadContext(v, workspace, object);
      const p = book.config.pipelines;
      if (!p) throw new AppError('BAD_REQUEST', 'Customers have no pipelines.', [{ field: 'workspace', issue: 'services or revenue' }]);
      const pipelines = pipelinesOf(book);
      return {
        workspace,
        objectType: book.config.objectType,
        objects: book.config.objects.map((t) => ({ objectType: t, label: objectLabel(t) })),
        pipelines,
        defaultPipeline: pipelines.some((x) => x.id === p.defaultPipeline) ? p.defaultPipeline : (pipelines[0]?.id ?? null),
        defaultLayout: p.defaultLayout,
      };
    },

    /** CS-SRV-2: a pipeline's board, one column per stage with its total, amount and first cards (0 HubSpot calls). */
    async board(
      v: Viewer,
      workspace: WorkspaceKind,
      q: { pipeline?: string; view?: string; filters?: WorkspaceFilters; sort?: WorkspaceSort; perColumn: number; object?: string },
    ): Promise<WorkspaceBoardResponse> {
      const book = await loadContext(v, workspace, q.object);
      const p = book.config.pipelines;
      if (!p)
        throw new AppError('BAD_REQUEST', 'Customers have no board: they have no pipelines.', [
          { field: 'workspace', issue: 'services or revenue' },
        ]);
      const pipelineId = q.pipeline ?? (book.pipelines.some((x) => x.id === p.defaultPipeline) ? p.defaultPipeline : book.pipelines[0]?.id);
      const pipeline = book.pipelines.find((x) => x.id === pipelineId);
      if (!pipeline || pipelineId === undefined || pipelineId === null) {
        throw new AppError(
          'BAD_REQUEST',
          q.pipeline ? `There is no visible pipeline "${q.pipeline}" here.` : 'This object has no visible pipeline.',
          [{ field: 'pipeline', issue: `one of ${book.pipelines.map((x) => x.id).join(', ') || 'no pipeline'}` }],
        );
      }
      const view = q.view ? await viewQuery(v, book.config.storeKey, q.view) : null;
      if (q.filters) checkFilters(book, q.filters, 'filters');
      const sort = sortOf(book, q.sort ?? view?.query.sort);
      const resolved = withScope(
        resolveFilters(typedFilters(book, combineFilters(view?.query.filters ?? {}, q.filters)), book.ctx),
        pipelineScope(book, pipelineId),
      );
      const columns = boardColumns(await loadRecords(book, v, [resolved], [sort.property]), resolved, pipeline.stages, {
        stageProperty: p.stageProperty,
        sort,
        perColumn: q.perColumn,
        amountProperty: book.config.amountProperty,
      });
      return {
        ...book.freshness,
        workspace,
        objectType: book.config.objectType,
        pipeline: { id: pipeline.id, label: pipeline.label },
        columns: columns.map((c) => ({
          stage: { id: c.stageId, label: pipeline.stages.find((x) => x.id === c.stageId)!.label },
          total: c.total,
          amount: c.amount,
          rows: c.records.map((r) => toRow(book, v.portalId, r)),
        })),
      };
    },

    /**
     * CS-REV-1 "ARR at risk": the viewed user's revenue records renewing in the next `months`
     * months, summed by month and by the health category of their customers (stored scores).
     */
    async arrAtRisk(v: Viewer, q: { months: number; object?: string }): Promise<ArrAtRiskResponse> {
      const book = await loadContext(v, 'revenue', q.object);
      const customers = await customersSettings(db, v.portalId);
      const resolved = resolveFilters({ owner: 'me' }, book.ctx);
      const records = (await loadRecords(book, v, [resolved])).filter((r) => r.csm === resolved.owner);
      const links = await copy.associations(
        v.portalId,
        book.config.objectType,
        records.map((r) => r.id),
        customers.objectType,
      );
      const categories = await storedCategories(v.portalId, customers.objectType);
      const amountProperty = book.config.amountProperty;
      const renewalType = book.config.renewalDateProperty ? book.definitions.get(book.config.renewalDateProperty)?.type : undefined;
      const months = arrAtRisk(
        records.map((r) => {
          const a = amountProperty ? r.properties[amountProperty] : null;
          return {
            id: r.id,
            renewalAt: r.renewalAt,
            amount: typeof a === 'number' ? a : null,
            customerIds: (links.get(r.id) ?? []).map((x) => x.id),
          };
        }),
        categories,
        // A date property is a day at midnight UTC: its month is the UTC one.
        { now: now(), months: q.months, timeZone: renewalType === 'date' ? 'UTC' : book.ctx.timeZone },
      );
      return {
        ...book.freshness,
        objectType: book.config.objectType,
        amountProperty,
        renewalDateProperty: book.config.renewalDateProperty,
        months,
      };
    },

    /** One page of a view (or of the whole book), with the request's filters and sort on top. */
    async records(
      v: Viewer,
      workspace: WorkspaceKind,
      q: {
        view?: string;
        filters?: WorkspaceFilters;
        sort?: WorkspaceSort;
        after?: string;
        limit: number;
        /** Services and Revenue: one pipeline (else every visible one). */
        pipeline?: string;
        /** Revenue: which configured object. */
        object?: string;
      },
    ): Promise<WorkspaceRecordsResponse> {
      const book = await loadContext(v, workspace, q.object);
      const view = q.view ? await viewQuery(v, book.config.storeKey, q.view) : null;
      if (q.filters) checkFilters(book, q.filters, 'filters');
      const filters = combineFilters(view?.query.filters ?? {}, q.filters);
      const sort = sortOf(book, q.sort ?? view?.query.sort);
      const resolved = withScope(resolveFilters(typedFilters(book, filters), book.ctx), pipelineScope(book, q.pipeline));
      const page = queryRecords(await loadRecords(book, v, [resolved], [sort.property]), resolved, {
        sort,
        limit: q.limit,
        ...stageRanks(book, sort),
        ...(q.after ? { after: decodeCursor(sort, q.after) } : {}),
      });
      const body: WorkspaceRecordsResponse = {
        ...book.freshness,
        workspace,
        objectType: book.config.objectType,
        view: view ? { id: view.id, name: view.name } : null,
        columns: columnsOf(book),
        rows: page.records.map((r) => toRow(book, v.portalId, r)),
        total: page.total,
      };
      if (page.next) body.paging = { next: { after: encodeCursor(sort, page.next) } };
      return body;
    },

    async meta(v: Viewer, workspace: WorkspaceKind, object?: string): Promise<WorkspaceMetaResponse> {
      const book = await loadContext(v, workspace, object);
      const operatorsByType = Object.fromEntries(Object.entries(OPERATORS_BY_KIND)) as Record<
        PropertyKind,
        WorkspaceMetaResponse['operatorsByType'][string]
      >;
      return {
        ...book.freshness,
        workspace,
        objectType: book.config.objectType,
        properties: [...book.definitions.values()]
          .map((d) => ({
            name: d.name,
            label: d.label,
            type: kindOf(d),
            fieldType: d.fieldType,
            ...(d.options?.length ? { options: d.options.filter((o) => !o.hidden).map((o) => ({ label: o.label, value: o.value })) } : {}),
          }))
          .sort((a, b) => a.label.localeCompare(b.label)),
        operatorsByType,
        owners: book.owners.filter((o) => !o.archived).map((o) => ({ id: o.id, name: ownerName(o) })),
      };
    },

    async createView(v: Viewer, workspace: WorkspaceKind, input: WorkspaceViewInput, object?: string): Promise<WorkspaceView> {
      if (input.sharing === 'everyone' && !v.isManager) throw new AppError('FORBIDDEN', 'Only managers can share a view with everyone.');
      const book = await loadContext(v, workspace, object);
      checkFilters(book, input.query.filters, 'query.filters');
      if (input.query.sort) sortOf(book, input.query.sort);
      const stored = await repo.insertView(
        v.portalId,
        {
          id: `v-${randomBytes(5).toString('hex')}`,
          workspace: book.config.storeKey,
          ownerUserId: v.userId,
          name: input.name,
          sharing: input.sharing,
          query: input.query,
        },
        new Date(now()),
      );
      const resolved = resolveFilters(typedFilters(book, input.query.filters), book.ctx);
      const [count] = countMatches(await loadRecords(book, v, [resolved]), [resolved]);
      return toView(v, stored, count!, await defaultsOf(v.portalId, book.config.storeKey));
    },

    async updateView(v: Viewer, workspace: WorkspaceKind, id: string, input: WorkspaceViewInput, object?: string): Promise<WorkspaceView> {
      if (builtinView(id)) throw new AppError('FORBIDDEN', 'Built-in views cannot be edited; save a copy as a new view instead.');
      const book = await loadContext(v, workspace, object);
      const key = book.config.storeKey;
      const stored = await repo.getView(v.portalId, key, id);
      if (!stored || (stored.sharing === 'private' && stored.ownerUserId !== v.userId))
        throw new AppError('NOT_FOUND', `There is no view "${id}".`);
      if (!canEdit(v, stored)) throw new AppError('FORBIDDEN', 'Only its creator or a manager can edit this view.');
      if (input.sharing === 'everyone' && stored.sharing !== 'everyone' && !v.isManager)
        throw new AppError('FORBIDDEN', 'Only managers can share a view with everyone.');
      const defaults = await defaultsOf(v.portalId, key);
      if (input.sharing === 'private' && defaults.some((d) => d.viewId === id)) {
        throw new AppError(
          'CONFLICT',
          'This view is a default view of everyone’s Summary: remove it from the defaults before making it private.',
        );
      }
      checkFilters(book, input.query.filters, 'query.filters');
      if (input.query.sort) sortOf(book, input.query.sort);
      const updated = await repo.updateView(
        v.portalId,
        key,
        id,
        { name: input.name, sharing: input.sharing, query: input.query },
        new Date(now()),
      );
      if (!updated) throw new AppError('NOT_FOUND', `There is no view "${id}".`);
      const resolved = resolveFilters(typedFilters(book, input.query.filters), book.ctx);
      const [count] = countMatches(await loadRecords(book, v, [resolved]), [resolved]);
      return toView(v, updated, count!, defaults);
    },

    /** Deletes a custom view; `confirm` must be true (the UI asked). A default view leaves the defaults too. */
    async deleteView(v: Viewer, workspace: WorkspaceKind, id: string, confirm: boolean, object?: string): Promise<void> {
      if (builtinView(id))
        throw new AppError('FORBIDDEN', 'Built-in views cannot be deleted; a manager can remove them from the defaults.');
      const key = (await configOf(db, v.portalId, workspace, object)).storeKey;
      const stored = await repo.getView(v.portalId, key, id);
      if (!stored || (stored.sharing === 'private' && stored.ownerUserId !== v.userId))
        throw new AppError('NOT_FOUND', `There is no view "${id}".`);
      if (!canEdit(v, stored)) throw new AppError('FORBIDDEN', 'Only its creator or a manager can delete this view.');
      if (!confirm) {
        throw new AppError('BAD_REQUEST', `Deleting "${stored.name}" cannot be undone: confirm to delete it.`, [
          { field: 'confirm', issue: 'must be true' },
        ]);
      }
      const defaults = await defaultsOf(v.portalId, key);
      if (defaults.some((d) => d.viewId === id)) {
        await repo.putSettingWithHistory(
          v.portalId,
          DEFAULTS_KEY(key),
          defaults.filter((d) => d.viewId !== id),
          v.userId,
          new Date(now()),
        );
      }
      await repo.deleteView(v.portalId, key, id);
    },

    /** Managers: the default views (Summary cards), in order, each with a description; at most six. */
    async setDefaults(
      v: Viewer,
      workspace: WorkspaceKind,
      input: WorkspaceDefaultsInput,
      object?: string,
    ): Promise<WorkspaceViewsResponse> {
      if (!v.isManager) throw new AppError('FORBIDDEN', 'Only managers can choose the default views.');
      const key = (await configOf(db, v.portalId, workspace, object)).storeKey;
      const errors: FieldError[] = [];
      if (input.defaults.length > MAX_DEFAULTS) errors.push({ field: 'defaults', issue: `at most ${MAX_DEFAULTS} default views` });
      const seen = new Set<string>();
      for (const [i, d] of input.defaults.entries()) {
        if (seen.has(d.viewId)) errors.push({ field: `defaults.${i}.viewId`, issue: 'listed twice' });
        seen.add(d.viewId);
        if (builtinView(d.viewId)) continue;
        const stored = await repo.getView(v.portalId, key, d.viewId);
        if (!stored) errors.push({ field: `defaults.${i}.viewId`, issue: `there is no view "${d.viewId}"` });
        else if (stored.sharing !== 'everyone')
          errors.push({
            field: `defaults.${i}.viewId`,
            issue: `"${stored.name}" is private: only views shared with everyone can be defaults`,
          });
      }
      if (errors.length)
        throw new AppError('BAD_REQUEST', `Some default views are not valid: ${errors.map((e) => e.field).join(', ')}.`, errors);
      await repo.putSettingWithHistory(v.portalId, DEFAULTS_KEY(key), input.defaults, v.userId, new Date(now()));
      return listViews(v, workspace, object);
    },

    /** CS-CUS-3: key properties, stored health score and drivers, recent activities, associated records. */
    async preview(v: Viewer, workspace: WorkspaceKind, id: string, object?: string): Promise<WorkspacePreviewResponse> {
      const config = await configOf(db, v.portalId, workspace, object);
      const [found, defs, owners, fresh] = await Promise.all([
        copy.getRecords(v.portalId, config.objectType, [id]),
        copy.propertyDefinitions<PropertyDef>(v.portalId, config.objectType),
        copy.owners(v.portalId),
        freshness(v.portalId),
      ]);
      const record = found.get(id);
      if (!record || record.archived) throw new AppError('NOT_FOUND', `There is no ${config.objectType} record ${id} in this portal.`);
      const definitions = new Map(defs.map((d) => [d.name, d]));
      const wanted = [
        ...config.keyProperties,
        config.ownerProperty,
        ...(config.renewalDateProperty ? [config.renewalDateProperty] : []),
        'createdate',
        'notes_last_updated',
      ];
      // Properties with a value, and the CSM and renewal properties even when empty (to set them inline).
      const always = new Set([config.ownerProperty, ...(config.renewalDateProperty ? [config.renewalDateProperty] : [])]);
      const properties = [...new Set(wanted)]
        .filter(
          (name) =>
            (record.properties[name] !== undefined && record.properties[name] !== null && record.properties[name] !== '') ||
            (always.has(name) && definitions.has(name)),
        )
        .map((name) => {
          const d = definitions.get(name);
          const kind = d ? kindOf(d) : 'string';
          // A user property holds an owner id: show the owner's name.
          const owner = kind === 'user' || name === config.ownerProperty ? owners.find((o) => o.id === record.properties[name]) : undefined;
          return {
            name,
            label: d?.label ?? name,
            type: kind,
            value: owner ? ownerName(owner) : (readValue(record.properties[name], d?.type) ?? null),
            ...editorOf(d, record.properties[name] ?? null, owners),
          };
        });

      // Activities and associations: the copy's pairs, both directions, then one read per type.
      const ACTIVITY = ['meetings', 'calls', 'emails', 'notes', 'tasks'] as const;
      const RELATED = (['companies', 'contacts', 'deals', 'tickets'] as const).filter((t) => t !== config.objectType);
      const pairs = await Promise.all(
        [...ACTIVITY, ...RELATED].map(
          async (t) => [t, (await copy.associations(v.portalId, config.objectType, [id], t)).get(id) ?? []] as const,
        ),
      );
      const byType = new Map(pairs);
      const reads = await Promise.all(
        [...byType].map(
          async ([t, refs]) =>
            [
              t,
              refs.length
                ? await copy.getRecords(
                    v.portalId,
                    t,
                    refs.map((r) => r.id),
                  )
                : new Map<string, CopyRecord>(),
            ] as const,
        ),
      );
      const read = new Map(reads);
      const activities = ACTIVITY.flatMap((t) =>
        [...(read.get(t)?.values() ?? [])]
          .filter((r) => !r.archived)
          .map((r) => ({
            objectType: t,
            id: r.id,
            title: activityTitle(t, r),
            at: (r.dueAt ?? r.createdAt)?.toISOString() ?? null,
          })),
      )
        .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))
        .slice(0, 10);
      const associations = RELATED.flatMap((t) =>
        (byType.get(t) ?? []).flatMap((ref) => {
          const r = read.get(t)?.get(ref.id);
          if (!r || r.archived) return [];
          return [
            { objectType: t, id: r.id, name: nameOf(t, r.id, r.properties), labels: ref.labels, url: recordPageUrl(v.portalId, t, r.id) },
          ];
        }),
      ).slice(0, 50);

      return {
        ...fresh,
        objectType: config.objectType,
        id,
        name: nameOf(config.objectType, id, record.properties),
        url: recordPageUrl(v.portalId, config.objectType, id),
        properties,
        health: await storedHealth(v.portalId, config.objectType, id),
        activities,
        associations,
        ...(config.pipelines
          ? {
              stage: {
                pipelineId: record.properties[config.pipelines.pipelineProperty] || null,
                stageId: record.properties[config.pipelines.stageProperty] || null,
              },
            }
          : {}),
      };
    },
  };

  /** The stored category of every scored record of `objectType` under its default profile. */
  async function storedCategories(portalId: number, objectType: string): Promise<Map<string, HealthCategory>> {
    const profiles = await health.listProfiles(portalId);
    const stored = profiles.find((p) => p.isDefault && p.objectType === objectType) ?? profiles.find((p) => p.objectType === objectType);
    if (!stored) return new Map();
    return (await repo.healthCategories(portalId, stored.id, objectType)) as Map<string, HealthCategory>;
  }

  /** The stored score of a record under the default profile of its object, with its drivers (no rescoring run, no HubSpot call). */
  async function storedHealth(portalId: number, objectType: string, id: string): Promise<WorkspacePreviewResponse['health']> {
    const profiles = await health.listProfiles(portalId);
    const stored = profiles.find((p) => p.isDefault && p.objectType === objectType) ?? profiles.find((p) => p.objectType === objectType);
    if (!stored) return null;
    const state = await health.getState(portalId, stored.id, objectType, id);
    if (!state) return null;
    const profile = profileOf(stored);
    const drivers =
      state.profileVersion === profile.version
        ? scoreRecord(profile, state.input as HealthInputRecord, state.at.getTime()).groups.map((g) => ({
            label: g.label,
            points: g.score,
            maxPoints: g.maxPoints,
          }))
        : [];
    return { score: state.score, category: state.category, computedAt: state.at.toISOString(), profileId: stored.id, drivers };
  }
}

/** What the preview's inline editor needs: the stored value, whether it can be edited, the choices. */
export function editorOf(
  d: PropertyDef | undefined,
  raw: string | null,
  owners: readonly CopyOwner[],
): Pick<WorkspacePreviewResponse['properties'][number], 'raw' | 'editable' | 'fieldType' | 'options'> {
  if (!d) return { raw, editable: false };
  const kind = kindOf(d);
  const options =
    kind === 'user'
      ? owners.filter((o) => !o.archived).map((o) => ({ label: ownerName(o), value: o.id }))
      : (d.options ?? []).filter((o) => !o.hidden).map((o) => ({ label: o.label, value: o.value }));
  return { raw, editable: !d.readOnly, fieldType: d.fieldType, ...(options.length ? { options } : {}) };
}

const OBJECT_LABELS: Record<string, string> = { deals: 'Deals', '0-162': 'Services', companies: 'Companies', contacts: 'Contacts' };
export const objectLabel = (t: string) => OBJECT_LABELS[t] ?? `Custom object ${t}`;

function activityTitle(type: string, r: CopyRecord): string {
  const p = r.properties;
  switch (type) {
    case 'meetings':
      return p.hs_meeting_title || 'Meeting';
    case 'calls':
      return p.hs_call_title || 'Call';
    case 'emails':
      return p.hs_email_subject || 'Email';
    case 'tasks':
      return p.hs_task_subject || 'Task';
    default:
      return 'Note';
  }
}
