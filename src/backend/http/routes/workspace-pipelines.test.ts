// Services and Revenue on the object-workspace core (CS-SRV-1..3, CS-REV-1): pipelines from the
// copy, the board, stage changes that ask for the stage's required properties (one HubSpot call,
// written through), Revenue's amounts and "ARR at risk". The app over a copy first-loaded from the sandbox.
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { T0, testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import type {
  ArrAtRiskResponse,
  WorkspaceBoardResponse,
  WorkspacePipelinesResponse,
  WorkspacePreviewResponse,
  WorkspaceRecordsResponse,
  WorkspaceViewsResponse,
} from '../../contract/workspace';
import { localCacheBus } from '../../cache-bus';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { buildDefaultProfile } from '../../engines/health';
import { createHealthRepo, createSettingsRepo } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { runFirstLoad } from '../../sync/first-load';
import { DEFAULT_SERVICES_SETTING, SERVICES_SETTING } from '../../sync/workspace-objects';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

const PORTAL = 123456;
const REP = 9001; // owner 501
const MANAGER = 9009;
const BATCH_UPDATE = 'POST /crm/v3/objects/{objectType}/batch/update';
const log = pino({ level: 'silent' });

let sandbox: Sandbox | undefined;
let crm: CrmGateway;
// What the portal copy's sync hears when a save names something new to read (server.ts listens).
const bus = localCacheBus();
const readsChanged: number[] = [];
bus.on('copy-settings', (portalId) => readsChanged.push(portalId));

async function freshSandbox(): Promise<void> {
  await sandbox?.close();
  const base = testFixture();
  const services = [
    {
      id: '66',
      properties: {
        hs_name: 'Migration',
        hs_pipeline: 'services-pipeline-id',
        hs_pipeline_stage: 'in-progress-stage-id',
        hubspot_owner_id: '501',
      },
    },
    {
      id: '67',
      properties: {
        hs_name: 'Training',
        hs_pipeline: 'services-pipeline-id',
        hs_pipeline_stage: 'in-progress-stage-id',
        hubspot_owner_id: '501',
      },
    },
  ];
  const deals = [
    // Renewals of Client Inc (company 11): one in December, one in January; one of Bo's.
    {
      id: '8',
      properties: {
        dealname: 'Renewal Dec',
        amount: '1200',
        pipeline: 'default',
        dealstage: 'contractsent',
        closedate: '2026-12-15T00:00:00Z',
        hubspot_owner_id: '501',
      },
    },
    {
      id: '9',
      properties: {
        dealname: 'Renewal Jan',
        amount: '800',
        pipeline: 'default',
        dealstage: 'qualifiedtobuy',
        closedate: '2027-01-10T00:00:00Z',
        hubspot_owner_id: '501',
      },
    },
    {
      id: '10',
      properties: {
        dealname: 'Bo renewal',
        amount: '999',
        pipeline: 'default',
        dealstage: 'qualifiedtobuy',
        closedate: '2026-12-20T00:00:00Z',
        hubspot_owner_id: '502',
      },
    },
  ];
  sandbox = await startSandbox({
    port: 0,
    fixtures: [
      {
        ...base,
        properties: {
          ...base.properties,
          services: [{ name: 'go_live_date', label: 'Go-live date', type: 'date', fieldType: 'date' }],
        },
        objects: {
          ...base.objects,
          '0-162': [...(base.objects?.['0-162'] ?? []), ...services],
          deals: [...(base.objects?.deals ?? []), ...deals],
        },
        associations: [...(base.associations ?? []), { from: 'deals/8', to: 'companies/11' }, { from: 'deals/9', to: 'companies/11' }],
      },
    ],
    now: () => T0,
    rateLimit: LIFTED_SANDBOX_LIMITS,
  });
}

async function hubspotService(id: string): Promise<Record<string, string | null>> {
  const res = await fetch(`${sandbox!.url}/crm/v3/objects/0-162/${id}?properties=hs_pipeline_stage,go_live_date`, {
    headers: { authorization: 'Bearer test-token' },
  });
  return ((await res.json()) as { properties: Record<string, string | null> }).properties;
}

afterAll(async () => {
  await crm?.close();
  await sandbox?.close();
});

describeEachDatabase('workspace API (Services and Revenue)', (getDb) => {
  let app: Express;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: T0, ...c });
    const req = request(app)[r.method.toLowerCase() as 'get' | 'post'](r.pathAndQuery).set(r.headers);
    return r.body ? req.send(r.body) : req;
  };
  const get = async <T>(path: string, query: Record<string, string> = {}) => {
    const res = await call({ path, query });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as T;
  };
  const calls = () => sandbox!.control.stats().totalCalls;

  beforeEach(async () => {
    await truncateAll(getDb());
    await freshSandbox();
    await crm?.close();
    crm = createCrmGateway({
      basePath: sandbox!.url,
      tokens: { accessToken: async (id) => (id === PORTAL ? 'test-token' : null) },
      limits: LIFTED_LIMITS,
    });
    // Moving a service into "Completed" needs its go-live date (the settings' stage requirements).
    await createSettingsRepo(getDb()).putSetting(
      PORTAL,
      SERVICES_SETTING,
      { ...DEFAULT_SERVICES_SETTING, defaultLayout: 'board', stageRequirements: { 'completed-stage-id': ['go_live_date'] } },
      new Date(T0),
    );
    const loaded = await runFirstLoad({ db: getDb(), crm, logger: log, now: () => T0 }, PORTAL);
    expect(loaded.ready).toBe(true);
    readsChanged.length = 0;
    app = testApp({ crm, db: getDb(), installed: [PORTAL], managers: [MANAGER], now: () => T0, logger: log, bus });
    sandbox!.control.resetStats();
  }, 60_000);

  it('lists the services pipelines with their stages and requirements, the views, the table and the board, from the copy', async () => {
    const pipelines = await get<WorkspacePipelinesResponse>('/api/v1/workspace/services/pipelines');
    expect(pipelines).toMatchObject({ objectType: '0-162', defaultPipeline: 'services-pipeline-id', defaultLayout: 'board' });
    const stages = pipelines.pipelines[0]!.stages;
    expect(stages.map((s) => s.id)).toEqual(['planning-stage-id', 'in-progress-stage-id', 'on-hold-stage-id', 'completed-stage-id']);
    expect(stages.find((s) => s.id === 'completed-stage-id')).toMatchObject({
      isClosed: true,
      requiredProperties: [{ name: 'go_live_date', label: 'Go-live date', type: 'date' }],
    });

    const views = await get<WorkspaceViewsResponse>('/api/v1/workspace/services/views');
    expect(views.views.find((v) => v.id === 'owned-by-me')?.count).toBe(2);
    const table = await get<WorkspaceRecordsResponse>('/api/v1/workspace/services', { pipeline: 'services-pipeline-id', sort: 'name' });
    expect(table.rows.map((r) => [r.name, r.values.stage])).toEqual([
      ['Migration', 'In progress'],
      ['Onboarding', 'Planning'],
      ['Training', 'In progress'],
    ]);
    expect(table.columns.map((c) => c.key)).toContain('stage');
    // by stage: the pipeline's order (Planning first), not the stage ids' ("in-progress-…" < "planning-…")
    const byStage = await get<WorkspaceRecordsResponse>('/api/v1/workspace/services', { pipeline: 'services-pipeline-id', sort: 'stage' });
    expect(byStage.rows.map((r) => r.values.stage)).toEqual(['Planning', 'In progress', 'In progress']);

    const board = await get<WorkspaceBoardResponse>('/api/v1/workspace/services/board', { view: 'owned-by-me' });
    expect(board.pipeline).toEqual({ id: 'services-pipeline-id', label: 'Services pipeline' });
    expect(board.columns.map((c) => [c.stage.label, c.total, c.rows.map((r) => r.name)])).toEqual([
      ['Planning', 0, []],
      ['In progress', 2, ['Migration', 'Training']],
      ['On hold', 0, []],
      ['Completed', 0, []],
    ]);
    expect(calls()).toBe(0);
    const bad = await call({ path: '/api/v1/workspace/services/board', query: { pipeline: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('pipeline');
  });

  it('asks for the properties the target stage requires before moving, then moves in one HubSpot call, written through', async () => {
    const move = (body: unknown) => call({ method: 'POST', path: '/api/v1/workspace/services/records/66/stage', body });
    const missing = await move({ stageId: 'completed-stage-id' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      { field: 'properties.go_live_date', issue: '"Go-live date" is required to move into "Completed"' },
    ]);
    const badDay = await move({ stageId: 'completed-stage-id', properties: { go_live_date: '2026-13-01' } });
    expect(badDay.body.error.details).toEqual([{ field: 'properties.go_live_date', issue: expect.stringMatching(/takes a day/) }]);
    expect((await move({ stageId: 'no-such-stage' })).body.error.details[0].field).toBe('stageId');
    expect(calls()).toBe(0);

    const moved = await move({ stageId: 'completed-stage-id', properties: { go_live_date: '2026-11-30' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((moved.body as WorkspacePreviewResponse).stage).toEqual({ pipelineId: 'services-pipeline-id', stageId: 'completed-stage-id' });
    expect(sandbox!.control.stats().byEndpoint).toEqual({ [BATCH_UPDATE]: 1 });
    // The board shows it in its new column right away (the copy), with no further HubSpot call.
    const board = await get<WorkspaceBoardResponse>('/api/v1/workspace/services/board', { view: 'owned-by-me' });
    expect(board.columns.find((c) => c.stage.id === 'completed-stage-id')!.rows.map((r) => r.id)).toEqual(['66']);
    expect(calls()).toBe(1);
    expect(await hubspotService('66')).toMatchObject({ hs_pipeline_stage: 'completed-stage-id', go_live_date: '2026-11-30' });

    // A stage without requirements moves at once; a required property already set is not asked again.
    expect((await move({ stageId: 'on-hold-stage-id' })).status).toBe(200);
    expect((await move({ stageId: 'completed-stage-id' })).status).toBe(200);
  });

  it('Revenue: deals with amounts and renewal dates, the board sums each stage, and ARR at risk joins renewals with health by month', async () => {
    const table = await get<WorkspaceRecordsResponse>('/api/v1/workspace/revenue', {
      view: 'owned-by-me',
      sort: 'amount',
      direction: 'DESC',
    });
    expect(table.objectType).toBe('deals');
    expect(table.rows.map((r) => [r.name, r.values.amount, r.values.renewalDate])).toEqual([
      ['Big deal', 5000, null],
      ['Renewal Dec', 1200, '2026-12-15T00:00:00.000Z'],
      ['Renewal Jan', 800, '2027-01-10T00:00:00.000Z'],
    ]);
    const board = await get<WorkspaceBoardResponse>('/api/v1/workspace/revenue/board', { view: 'owned-by-me', pipeline: 'default' });
    expect(board.columns.filter((c) => c.total > 0).map((c) => [c.stage.id, c.total, c.amount])).toEqual([
      ['qualifiedtobuy', 1, 800],
      ['contractsent', 1, 1200],
      ['closedwon', 1, 5000],
    ]);

    // Client Inc (company 11) is At risk: its renewals count as ARR at risk in their months.
    const profile = buildDefaultProfile({
      objectType: 'companies',
      hasEngagements: false,
      hasTickets: false,
      hasDeals: false,
      hasCsmSentiment: false,
    });
    await createHealthRepo(getDb()).insertProfile(
      PORTAL,
      { id: 'default', name: profile.name, objectType: 'companies', isDefault: true, profile },
      new Date(T0),
    );
    await getDb().query(
      `insert into health_record_state (portal_id, profile_id, object_type, object_id, label, owner_id, run_id, at, profile_version, score, category,
         confirmed_category, input, recent, change)
       values ($1, 'default', 'companies', '11', 'Client Inc', '501', 'r1', $2, 1, 20, 'AT_RISK', 'AT_RISK', '{}'::jsonb, '[]'::jsonb, null)`,
      [PORTAL, new Date(T0)],
    );
    const arr = await get<ArrAtRiskResponse>('/api/v1/workspace/revenue/arr-at-risk', { months: '3' });
    expect(arr.months.map((m) => [m.month, m.byCategory.AT_RISK, m.total])).toEqual([
      ['2026-11', { amount: 0, count: 0 }, { amount: 0, count: 0 }],
      ['2026-12', { amount: 1200, count: 1 }, { amount: 1200, count: 1 }],
      ['2027-01', { amount: 800, count: 1 }, { amount: 800, count: 1 }],
    ]);
    expect(calls()).toBe(0);
    const other = await call({ path: '/api/v1/workspace/revenue', query: { object: '2-999' } });
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe('object');
  });

  it('settings (CS-SET-2, CS-SET-3): managers only, field-level errors, history, and the workspaces follow', async () => {
    const put = (path: string, body: unknown, userId = MANAGER) => call({ method: 'PUT', path, body, userId });
    const services = {
      objectType: '0-162',
      csmProperty: 'hubspot_owner_id',
      renewalDateProperty: 'go_live_date',
      visiblePipelines: ['services-pipeline-id'],
      defaultPipeline: 'services-pipeline-id',
      defaultLayout: 'table',
      stageRequirements: { 'on-hold-stage-id': ['hs_description'] },
    };
    expect((await put('/api/v1/settings/customer-success/services', { services }, REP)).status).toBe(403);
    const bad = await put('/api/v1/settings/customer-success/services', {
      services: {
        ...services,
        csmProperty: 'hs_name',
        renewalDateProperty: 'hs_name',
        visiblePipelines: ['nope'],
        stageRequirements: { 'no-stage': ['hs_name'], 'on-hold-stage-id': ['hs_object_id'] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'services.csmProperty',
      'services.renewalDateProperty',
      'services.visiblePipelines.0',
      'services.defaultPipeline',
      'services.stageRequirements.no-stage',
      'services.stageRequirements.on-hold-stage-id.0',
    ]);
    expect(readsChanged).toEqual([]); // refused: nothing saved
    const saved = await put('/api/v1/settings/customer-success/services', { services });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(readsChanged).toEqual([PORTAL]); // the copy reads go_live_date from now on: its sync runs at once
    expect(saved.body.services).toEqual(services);
    expect(saved.body.history[0]).toMatchObject({ userId: MANAGER, after: services });
    expect(saved.body.choices.pipelines[0].stages.map((s: { id: string }) => s.id)).toContain('on-hold-stage-id');
    const pipelines = await get<WorkspacePipelinesResponse>('/api/v1/workspace/services/pipelines');
    expect(pipelines.defaultLayout).toBe('table');
    expect(pipelines.pipelines[0]!.stages.find((s) => s.id === 'on-hold-stage-id')!.requiredProperties.map((p) => p.name)).toEqual([
      'hs_description',
    ]);

    const revenue = (objects: unknown[]) => put('/api/v1/settings/customer-success/revenue', { revenue: { objects } });
    const deals = {
      objectType: 'deals',
      csmProperty: 'hubspot_owner_id',
      renewalDateProperty: 'closedate',
      amountProperty: 'dealname',
      visiblePipelines: null,
      defaultPipeline: null,
      defaultLayout: 'board',
      stageRequirements: {},
    };
    const badRevenue = await revenue([deals, deals, { ...deals, objectType: 'contacts' }]);
    expect(badRevenue.status).toBe(400);
    const tooMany = badRevenue.body.error.details.map((d: { field: string }) => d.field);
    expect(tooMany).toEqual(['revenue.objects']);
    const twice = await revenue([deals, { ...deals, amountProperty: 'amount' }]);
    expect(twice.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'revenue.objects.1.objectType',
      'revenue.objects.0.amountProperty',
    ]);
    const ok = await revenue([{ ...deals, amountProperty: 'amount' }]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(readsChanged).toEqual([PORTAL, PORTAL]);
    expect((await get<WorkspacePipelinesResponse>('/api/v1/workspace/revenue/pipelines')).defaultLayout).toBe('board');
  });
});
