// The OpenAPI document: every route the app mounts is in it (read from the router stack, so a new
// endpoint without its entry fails here), nothing else is, and it is a well-formed OpenAPI 3.1
// document whose schemas are valid JSON Schema 2020-12 and whose references all resolve.
import { Ajv2020 } from 'ajv/dist/2020.js';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routeTable, type RouteEntry } from '../../../tests/helpers/route-table';
import { stubCrm } from '../../../tests/helpers/stub-crm';
import { testApp } from '../../../tests/helpers/test-app';
import { createMetrics } from '../metrics';
import type { InstallService } from '../services/install/install-service';
import type { RolesService } from '../services/install/roles';
import { createDatabase, type Database } from '../storage';
import { API_VERSION, OPERATIONS, openApiDocument, openApiPath, renderPage } from './openapi';
import { opsRoutes } from './ops';

let db: Database;
let routes: RouteEntry[];
let app: ReturnType<typeof testApp>;
const doc = openApiDocument({ version: API_VERSION }) as {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
};

beforeAll(async () => {
  db = await createDatabase({});
  // Every optional part mounted: webhooks, the install pages and endpoints (never called here).
  app = testApp({
    crm: stubCrm(),
    db,
    installed: 'all',
    webhooks: { enqueue: async () => {}, malformed: () => {} },
    install: { service: {} as InstallService, roles: {} as RolesService, oauthPages: true },
  });
  // server.ts mounts /readyz and /metrics in front of the app.
  const outer = express();
  outer.use(opsRoutes({ metrics: createMetrics(), checks: [], draining: () => false }));
  routes = [...routeTable(outer), ...routeTable(app)];
}, 60_000);
afterAll(async () => {
  await db?.close();
});

describe('the OpenAPI document', () => {
  it('has every route the app answers, with its method', () => {
    const missing = routes.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()]);
    expect(routes.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('documents no route the app does not have', () => {
    const mounted = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`));
    const extra = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((m) => `${m.toUpperCase()} ${path}`)
        .filter((k) => !mounted.has(k)),
    );
    expect(extra).toEqual([]);
  });

  it('the check can fail: a route mounted without an entry is reported', () => {
    const app = express();
    app.get('/api/v1/not-documented', (_req, res) => void res.end());
    const missing = routeTable(app).filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([{ method: 'GET', path: '/api/v1/not-documented' }]);
  });

  it('is OpenAPI 3.1 in structure: info, paths, operations with responses, path parameters declared', () => {
    const schemaOrRef = z.record(z.string(), z.unknown());
    const parameter = z.union([
      z.object({ $ref: z.string().startsWith('#/components/parameters/') }).strict(),
      z
        .object({
          name: z.string().min(1),
          in: z.enum(['query', 'header', 'path', 'cookie']),
          required: z.boolean(),
          description: z.string().optional(),
          schema: schemaOrRef,
        })
        .strict()
        .refine((p) => p.in !== 'path' || p.required, 'path parameters are required'),
    ]);
    const media = z.record(z.string().regex(/^[\w.+-]+\/[\w.+-]+$/), z.object({ schema: schemaOrRef }).strict());
    const response = z.union([
      z.object({ $ref: z.string().startsWith('#/components/responses/') }).strict(),
      z.object({ description: z.string().min(1), content: media.optional() }).strict(),
    ]);
    const operation = z
      .object({
        operationId: z.string().regex(/^[A-Za-z0-9_]+$/),
        tags: z.array(z.string()).min(1),
        summary: z.string().min(1),
        parameters: z.array(parameter).optional(),
        requestBody: z.object({ required: z.boolean(), content: media }).strict().optional(),
        responses: z.record(z.string().regex(/^[1-5]\d\d$/), response).refine((r) => Object.keys(r).length > 0),
        security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
      })
      .strict();
    const document = z
      .object({
        openapi: z.string().regex(/^3\.1\.\d+$/),
        jsonSchemaDialect: z.string().url().optional(),
        info: z.object({ title: z.string().min(1), version: z.string().min(1), description: z.string().optional() }).strict(),
        servers: z.array(z.object({ url: z.string() })).optional(),
        paths: z.record(
          z.string().regex(/^\/[^\s]*$/),
          z.partialRecord(z.enum(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']), operation),
        ),
        components: z
          .object({
            schemas: z.record(z.string().regex(/^[a-zA-Z0-9._-]+$/), schemaOrRef),
            parameters: z.record(z.string(), parameter),
            responses: z.record(z.string(), response),
            securitySchemes: z.record(
              z.string(),
              z.object({ type: z.enum(['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS']) }).passthrough(),
            ),
          })
          .strict(),
      })
      .strict();
    const checked = document.safeParse(doc);
    expect(checked.success ? [] : checked.error.issues.slice(0, 5)).toEqual([]);

    // every {name} in a path is declared as a path parameter, and no other
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(ops)) {
        const declared = ((op.parameters ?? []) as { in?: string; name?: string }[])
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort();
        expect(declared, path).toEqual(inPath);
        expect(ids.has(op.operationId as string), `${String(op.operationId)} twice`).toBe(false);
        ids.add(op.operationId as string);
      }
    }
    // every security requirement names a declared scheme
    const schemes = new Set(Object.keys(doc.components.securitySchemes!));
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops))
        for (const req of (op.security ?? []) as Record<string, unknown>[])
          for (const name of Object.keys(req)) expect(schemes).toContain(name);
  });

  it('every reference resolves, and every schema is valid JSON Schema 2020-12', () => {
    const refs: string[] = [];
    const schemas: unknown[] = [];
    const walk = (v: unknown, key?: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => walk(x));
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (typeof o.$ref === 'string') refs.push(o.$ref);
      if (key === 'schema') schemas.push(o);
      for (const [k, x] of Object.entries(o)) walk(x, k);
    };
    walk(doc);
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], doc);
      expect(target, ref).toBeDefined();
    }
    expect(refs.length).toBeGreaterThan(100);
    // zod's output with components as the only outside references
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'https://tiller.example/components', components: doc.components });
    for (const [id, s] of Object.entries(doc.components.schemas!)) {
      expect(ajv.validateSchema(s as object), id).toBe(true);
    }
    for (const s of schemas) expect(ajv.validateSchema(s as object), JSON.stringify(s).slice(0, 200)).toBe(true);
  });

  it('takes its input schemas from the routes: a query a route refuses is one the document restricts the same way', () => {
    const list = doc.paths['/api/v1/guided-actions']!.get!;
    const category = (list.parameters as { name?: string; schema?: { enum?: string[] } }[]).find((p) => p.name === 'category');
    expect(category?.schema?.enum).toEqual(['all', 'deal', 'prospecting']);
    const feedback = doc.paths['/api/v1/guided-actions/{id}/feedback']!.post!;
    expect(JSON.stringify(feedback.requestBody)).toContain('"enum":["YES_CONTINUE","NOT_REALLY"]');
    expect((feedback.responses as Record<string, unknown>)['204']).toBeDefined();
    expect((feedback.responses as Record<string, unknown>)['400']).toEqual({ $ref: '#/components/responses/E400' });
    expect(doc.components.schemas!.GuidedActionsResponse).toBeDefined();
    expect(OPERATIONS.every((op) => op.ok[0] >= 200 && op.ok[0] < 400)).toBe(true);
  });

  it('is served: GET /docs/openapi.json (the document) and GET /docs (the page), without a signature', async () => {
    const json = await request(app).get('/docs/openapi.json');
    expect(json.status).toBe(200);
    expect((json.body as { openapi: string }).openapi).toBe('3.1.0');
    expect(Object.keys((json.body as typeof doc).paths)).toEqual(Object.keys(doc.paths));
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(page.text).toContain('/api/v1/guided-actions/{id}/feedback');
  });

  it('renders a page with every operation and no outside asset', () => {
    const page = renderPage(doc);
    for (const r of routes) expect(page).toContain(`<code>${openApiPath(r.path)}</code>`);
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\/(?!json-schema\.org|tiller)/);
  });
});
