// The preview in a real browser (issue #17): `npm start` (src/backend/dev.ts) as a newcomer runs
// it, then Debian's Chromium through playwright-core clicks through every tab, app page, card and
// the settings page for a member and a manager. Each screen must show sandbox content (record
// names checked against the sandbox's own API), no preview render error, no console error and no
// serious or critical axe-core violation. Screenshots go to .data/screenshots, or to
// docs/screenshots with UPDATE_SCREENSHOTS=1 (the README's pictures).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ACCESS_TOKEN } from '@tiller/hubspot-sandbox/generator';
import { startPreviewServer, type RunningPreview } from '../../src/preview/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
// The screens the README shows (docs/screenshots, with UPDATE_SCREENSHOTS=1); the others go to .data/screenshots.
const DOC_SHOTS = new Set([
  'workspace-customer-success-manager',
  'workspace-customer-success-member',
  'workspace-sales-member',
  'workspace-sales-manager',
  'page-customers-category-at-risk-manager',
  'card-health-member',
  'card-tasks-member',
  'card-guided-actions-member',
  'settings-manager',
  'settings-member',
  'settings-profile-editor-manager',
  'workspace-customers-manager',
  'workspace-actions-member',
]);
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve('docs/screenshots') : path.resolve('.data/screenshots');
const OTHER_SHOTS = path.resolve('.data/screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const RENDER_ERROR = '[tiller-preview] render error:';

type Session = { sandboxUrl: string; portals: { id: number; users: { id: string; name: string; superAdmin: boolean }[] }[] };
type Role = { role: 'member' | 'manager'; userId: string; name: string };

if (!HAS_CHROMIUM) {
  console.warn(`tests/preview: SKIPPED — no Chromium at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (.ci/run does).`);
}

describe.runIf(!HAS_CHROMIUM && process.env.CI === 'true')('the preview in CI', () => {
  it('has Chromium to run in (.ci/run installs it)', () => {
    expect.fail(`No Chromium at ${CHROMIUM}: the browser tests must run in CI.`);
  });
});

describe.skipIf(!HAS_CHROMIUM)('the preview in Chromium (npm start, every screen, member and manager)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let previewUrl: string;
  let session: Session;
  let portalId: number;
  let browser: BrowserContext;
  let page: Page;
  let roles: Role[];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tiller-preview-'));
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(OTHER_SHOTS, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      SANDBOX_PORT: '0',
      PREVIEW_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    for (const k of Object.keys(env))
      if (k.startsWith('HUBSPOT_') || k === 'DATABASE_URL' || k === 'REDIS_URL' || k === 'PUBLIC_BASE_URL') delete env[k];
    child = spawn(process.execPath, ['--import', 'tsx', 'src/backend/dev.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    previewUrl = await readyUrl(child);
    session = JSON.parse(readFileSync(path.join(dataDir, 'dev-session.json'), 'utf8')) as Session;
    const portal = session.portals[0]!;
    portalId = portal.id;
    const member = portal.users.find((u) => !u.superAdmin)!;
    const manager = portal.users.find((u) => u.superAdmin)!;
    roles = [
      { role: 'member', userId: member.id, name: member.name },
      { role: 'manager', userId: manager.id, name: manager.name },
    ];
    await healthScored(member.id);
    await sandboxQuiet();
    // A fresh profile per run (launchPersistentContext owns --user-data-dir).
    browser = await chromium.launchPersistentContext(path.join(dataDir, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  }, 330_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Waits for the first health run (npm start scores the demo portal in the background, once the
   * portal copy's first load is done).
   */
  async function healthScored(userId: string): Promise<void> {
    const origin = (JSON.parse(readFileSync('src/hsprofile.dev.json', 'utf8')) as { variables: { BACKEND_ORIGIN: string } }).variables
      .BACKEND_ORIGIN;
    const deadline = Date.now() + 180_000;
    let last = '';
    while (Date.now() < deadline) {
      // A poll survives a dropped connection (a reused keep-alive socket the busy server closed).
      const answer = await fetch(new URL('/preview/api/fetch', previewUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Connection: 'close' },
        body: JSON.stringify({ url: `${origin}/api/v1/health/summary?scope=mine`, method: 'GET', portalId, userId }),
      }).then(
        (res) => res.json() as Promise<{ status?: number; body?: string; error?: string }>,
        (err: Error) =>
          ({ error: `${err.message}: ${String((err.cause as Error | undefined)?.message)}` }) as {
            status?: number;
            body?: string;
            error?: string;
          },
      );
      last = JSON.stringify(answer).slice(0, 300);
      if (answer.status === 200 && (JSON.parse(answer.body ?? '{}') as { customers?: number }).customers) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`The demo portal was not scored within 180 s: ${last}`);
  }

  /**
   * Waits until the start-up work (the first health run and its 30-day backfill) stops calling
   * the sandbox: on a loaded machine a screen opened meanwhile may wait past HubSpot's timeouts.
   */
  async function sandboxQuiet(): Promise<void> {
    const calls = async () => ((await (await fetch(`${session.sandboxUrl}/__sandbox/stats`)).json()) as { totalCalls: number }).totalCalls;
    const deadline = Date.now() + 90_000;
    let before = await calls();
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2_000));
      const now = await calls();
      if (now === before) return;
      before = now;
    }
  }

  /** Opens a screen and waits until every loading spinner is gone. */
  async function open(query: Record<string, string>): Promise<void> {
    consoleErrors.length = 0;
    await page.goto(`${previewUrl}?${new URLSearchParams(query)}`);
    await settled();
  }

  async function settled(): Promise<void> {
    await page.waitForFunction(
      () => !document.querySelector('.hs-spinner, .pv-waiting') && document.querySelector('.pv-extension')?.textContent,
      null,
      { timeout: 20_000 },
    );
  }

  /** No render error, no console error, no serious or critical axe violation; then a screenshot. */
  async function check(name: string): Promise<void> {
    const onPage = await page.locator('[data-testid="preview-errors"]').count();
    expect(
      consoleErrors.filter((e) => e.startsWith(RENDER_ERROR)),
      `${name}: preview render errors`,
    ).toEqual([]);
    expect(onPage, `${name}: the preview shows errors`).toBe(0);
    expect(consoleErrors, `${name}: console errors`).toEqual([]);
    await page.addScriptTag({ path: AXE });
    const axeResult = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: Document,
              o: object,
            ): Promise<{ passes: unknown[]; violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return {
        rulesPassed: result.passes.length,
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        })),
      };
    });
    expect(axeResult.rulesPassed, `${name}: axe-core ran`).toBeGreaterThan(10);
    const violations = axeResult.violations;
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      `${name}: accessibility`,
    ).toEqual([]);
    await page.screenshot({ path: path.join(DOC_SHOTS.has(name) ? SHOTS : OTHER_SHOTS, `${name}.png`) });
  }

  /** Record links in `scope` (HubSpot record URLs) with their text. */
  async function recordLinks(scope: string): Promise<{ typeId: string; id: string; text: string }[]> {
    const links = await page
      .locator(`${scope} a[href*="/record/"]`)
      .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })));
    return links.flatMap((l) => {
      const m = /\/record\/(0-\d+)\/(\d+)/.exec(l.href);
      return m ? [{ typeId: m[1]!, id: m[2]!, text: l.text }] : [];
    });
  }

  const TYPES: Record<string, { name: string; props: string[] }> = {
    '0-1': { name: 'contacts', props: ['firstname', 'lastname'] },
    '0-2': { name: 'companies', props: ['name'] },
    '0-3': { name: 'deals', props: ['dealname'] },
    '0-162': { name: '0-162', props: ['hs_name'] },
  };

  /**
   * A call to the sandbox as the portal: it shares the portal's limits with the backend's background
   * work (the copy's loads, polls and reconciliations), so a 429 is waited out as HubSpot asks.
   */
  async function sandboxFetch(apiPath: string, init: RequestInit = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${session.sandboxUrl}${apiPath}`, {
        ...init,
        headers: { Authorization: `Bearer ${ACCESS_TOKEN}`, 'Content-Type': 'application/json', ...init.headers },
      });
      if (res.status !== 429 || attempt >= 20) return res;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  async function sandboxGet<T>(apiPath: string): Promise<T> {
    const res = await sandboxFetch(apiPath);
    expect(res.status, apiPath).toBe(200);
    return (await res.json()) as T;
  }

  /** The record's name as the sandbox (HubSpot) has it. */
  async function sandboxName(typeId: string, id: string): Promise<string> {
    const type = TYPES[typeId]!;
    const r = await sandboxGet<{ properties: Record<string, string | null> }>(
      `/crm/v3/objects/${type.name}/${id}?properties=${type.props.join(',')}`,
    );
    return type.props
      .map((p) => r.properties[p] ?? '')
      .join(' ')
      .trim();
  }

  /** The subjects of the record's tasks, as the sandbox has them. */
  async function sandboxTaskSubjects(typeId: string, id: string): Promise<string[]> {
    const assoc = await sandboxGet<{ results: { toObjectId: string | number }[] }>(
      `/crm/v4/objects/${TYPES[typeId]!.name}/${id}/associations/tasks`,
    );
    if (!assoc.results.length) return [];
    const res = await sandboxFetch('/crm/v3/objects/tasks/batch/read', {
      method: 'POST',
      body: JSON.stringify({ properties: ['hs_task_subject'], inputs: assoc.results.map((r) => ({ id: String(r.toObjectId) })) }),
    });
    const body = (await res.json()) as { results: { properties: { hs_task_subject?: string | null } }[] };
    return body.results.map((t) => t.properties.hs_task_subject ?? '').filter(Boolean);
  }

  /** The cells of the first table rows in `scope` that are a task's subject in the sandbox. */
  async function sandboxTaskSubjectsIn(scope: string): Promise<string[]> {
    const cells = (
      await page
        .locator(`${scope} tbody tr`)
        .evaluateAll((rows) =>
          rows.slice(0, 3).flatMap((row) => [...row.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
        )
    ).filter((t) => t.length > 0 && t.length < 200);
    const found: string[] = [];
    for (const text of cells) {
      const res = await sandboxFetch('/crm/v3/objects/tasks/search', {
        method: 'POST',
        body: JSON.stringify({ query: text, properties: ['hs_task_subject'], limit: 20 }),
      });
      const body = (await res.json()) as { results?: { properties: { hs_task_subject?: string | null } }[] };
      if (body.results?.some((t) => t.properties.hs_task_subject === text)) found.push(text);
    }
    return found;
  }

  /**
   * Record links in `scope` carry the sandbox's data: each of the first three is named after its
   * record (the sandbox's name for it) or after one of that record's tasks (the sandbox's subject).
   */
  async function expectSandboxRecords(scope: string, what: string): Promise<void> {
    // record links name their record (or a task of it); "Open in HubSpot" is an action, not a name
    const links = (await recordLinks(scope)).filter(
      (l) => TYPES[l.typeId] && l.text.includes('(opens in a new tab)') && !l.text.startsWith('Open in HubSpot'),
    );
    if (links.length === 0) {
      // a list whose rows open a preview (the Customers tab) names its records without linking them
      const text = await page.locator(scope).first().innerText();
      const companies = await sandboxGet<{ results: { properties: { name: string | null } }[] }>(
        '/crm/v3/objects/companies?limit=100&properties=name',
      );
      const named = companies.results.map((c) => c.properties.name).filter((n): n is string => !!n && text.includes(n));
      // a task list whose tasks are about no record (the demo portal's tasks change with the day)
      // names its tasks: a cell of one of the first rows is a task's subject in the sandbox
      if (named.length === 0) named.push(...(await sandboxTaskSubjectsIn(scope)));
      expect(named.length, `${what}: sandbox records by name or link; the screen said: ${text.slice(0, 400)}`).toBeGreaterThan(0);
      return;
    }
    for (const l of links.slice(0, 3)) {
      const text = l.text.replace(' (opens in a new tab)', '');
      const name = await sandboxName(l.typeId, l.id);
      if (text.includes(name)) continue;
      expect(await sandboxTaskSubjects(l.typeId, l.id), `${what}: "${text}" links to ${l.typeId}/${l.id} (${name})`).toContain(text);
    }
  }

  it('shows the workspace tabs and app pages with sandbox records, for a member and a manager', async () => {
    const pages = new Map<string, string>(); // PageLink href -> preview query of the page it opened
    for (const r of roles) {
      await open({ surface: 'tiller_pages', portal: String(portalId), user: r.userId });
      const tabs = await page.locator('.pv-extension [role="tab"]').all();
      expect(tabs.length, 'workspace tabs').toBeGreaterThan(1);
      const hrefs: string[] = [];
      for (const tab of tabs) {
        const title = (await tab.textContent()) ?? '';
        await tab.click();
        await settled();
        await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
        // The generated demo portal has no service records: the Services tab must then say so.
        const noServices =
          title === 'Services' && (await sandboxGet<{ results: unknown[] }>('/crm/v3/objects/0-162?limit=1')).results.length === 0;
        if (noServices)
          await expect.poll(() => page.locator('[role="tabpanel"]:not([hidden])').first().innerText()).toContain('Nothing here');
        // The Dashboards tab holds no records of its own (a fresh portal has no dashboard): its own test below adds one.
        else if (title !== 'Dashboards') await expectSandboxRecords('[role="tabpanel"]:not([hidden])', `${r.role} ${title}`);
        await check(`workspace-${slug(title)}-${r.role}`);
        // only the shown tab is mounted: collect its links to app pages while it is shown
        hrefs.push(...(await page.locator('.pv-extension a[href^="#/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))));
      }
      // A manager may view the workspace as another user of the portal; a member may not.
      const others = session.portals[0]!.users.filter((u) => u.id !== r.userId).map((u) => u.name);
      const viewAs = page.getByLabel('View as');
      if (r.role === 'manager') {
        // (once /api/v1/me and /api/v1/users have answered, which may be after the tab's content)
        const options = async () => (await viewAs.locator('option').allTextContents()).join('\n');
        for (const name of others) await expect.poll(options, { timeout: 20_000 }).toContain(name);
      } else {
        expect(await viewAs.count()).toBe(0);
      }
      // The app pages the home links to (PageLink): each is followed by a click.
      for (const href of new Set(hrefs)) {
        await open({ surface: 'tiller_pages', portal: String(portalId), user: r.userId });
        await page.locator(`.pv-extension a[href="${href}"]`).first().click();
        await settled();
        const query = new URL(page.url()).searchParams;
        expect(`#${query.get('path')}`).toBe(href.split('?')[0]);
        query.delete('user');
        pages.set(href, query.toString());
      }
    }
    // Every app page, for both roles: a member opens by URL a page the home links for managers only.
    expect([...pages.keys()], 'app pages linked from the home').not.toEqual([]);
    for (const r of roles) {
      for (const [href, query] of pages) {
        consoleErrors.length = 0;
        await page.goto(`${previewUrl}?${query}&user=${r.userId}`);
        await settled();
        await expectSandboxRecords('.pv-extension', `${r.role} page ${href}`);
        await check(`page-${slug(href.split('&')[0]!)}-${r.role}`);
      }
    }
  }, 180_000); // five tabs and their app pages, twice, on a machine shared with other work

  it('shows each record card on a record from the sandbox', async () => {
    const r = roles[0]!;
    await open({ surface: 'tiller_pages', portal: String(portalId), user: r.userId });
    const tabs = await page.locator('.pv-extension [role="tab"]').all();
    const links: { typeId: string; id: string }[] = [];
    const taskIds: string[] = [];
    for (const tab of tabs) {
      await tab.click();
      await settled();
      links.push(...(await recordLinks('[role="tabpanel"]:not([hidden])')));
      const hrefs = await page
        .locator('[role="tabpanel"]:not([hidden]) a[href*="taskId="]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      taskIds.push(...hrefs.map((h) => new URL(h).searchParams.get('taskId') ?? ''));
    }
    const typeName = (typeId: string) => TYPES[typeId]!.name;

    // Health: a company from the alerts (it has a score).
    const company = links.find((l) => l.typeId === '0-2')!;
    await open({ surface: 'tiller_health_card', portal: String(portalId), user: r.userId, record: `companies/${company.id}` });
    await expect
      .poll(() =>
        page
          .locator('.pv-card')
          .getByRole('img', { name: /^Score \d+ out of 100$/ })
          .count(),
      )
      .toBeGreaterThan(0);
    await check(`card-health-${r.role}`);

    // Tasks: the record of one of the user's open tasks; the card lists that task's subject.
    let shown = false;
    for (const taskId of taskIds.filter(Boolean).slice(0, 5)) {
      const task = await sandboxGet<{ properties: { hs_task_subject: string } }>(
        `/crm/v3/objects/tasks/${taskId}?properties=hs_task_subject`,
      );
      const assoc = await sandboxGet<{ results: { toObjectId: string | number }[] }>(
        `/crm/v4/objects/tasks/${taskId}/associations/contacts`,
      );
      const contact = assoc.results[0];
      if (!contact) continue;
      await open({ surface: 'tiller_tasks_card', portal: String(portalId), user: r.userId, record: `contacts/${contact.toObjectId}` });
      if (!(await page.locator('.pv-card').innerText()).includes(task.properties.hs_task_subject)) continue;
      shown = true;
      break;
    }
    expect(shown, 'the Tasks card shows a sandbox task of its record').toBe(true);
    await check(`card-tasks-${r.role}`);

    // Guided actions: a record a guided action in the workspace points at; the card lists actions for it.
    let listed = false;
    for (const target of [...links]
      .reverse()
      .filter((l) => l.typeId === '0-1' || l.typeId === '0-3')
      .slice(0, 8)) {
      await open({
        surface: 'tiller_guided_actions_card',
        portal: String(portalId),
        user: r.userId,
        record: `${typeName(target.typeId)}/${target.id}`,
      });
      if (await page.locator('.pv-card .hs-empty').count()) continue; // nothing to do on this one for this user
      listed = true;
      break;
    }
    expect(listed, 'the Guided actions card lists actions on a record from the workspace').toBe(true);
    await check(`card-guided-actions-${r.role}`);
  }, 60_000);

  it("the Schedule tab: a month of the rep's meetings and tasks, a meeting's summary with 'start meeting', busy blocks when a manager views as the rep", async () => {
    const [member, manager] = roles as [Role, Role];
    const scheduleTab = async () => {
      await page.locator('.pv-extension [role="tab"]', { hasText: 'Schedule' }).click();
      await settled();
      await page.locator('[role="tabpanel"]:not([hidden])').getByRole('button', { name: 'Month' }).click();
      await settled();
      return page.locator('[role="tabpanel"]:not([hidden])');
    };
    await open({ surface: 'tiller_pages', portal: String(portalId), user: member.userId });
    let panel = await scheduleTab();
    await expect.poll(() => panel.getByRole('heading').first().innerText()).toMatch(/^[A-Z][a-z]+ \d{4}$/);
    const meetings = panel.getByRole('button', { name: /· Meeting: / });
    expect(await meetings.count(), 'the demo rep has meetings this month').toBeGreaterThan(0);
    // A meeting with a video link (the generator gives most one) opens a summary with "Start meeting".
    let started = false;
    for (let i = 0; i < Math.min(await meetings.count(), 10) && !started; i++) {
      await meetings.nth(i).click();
      await expect.poll(() => panel.getByRole('button', { name: 'Close' }).count()).toBe(1);
      const start = panel.getByRole('link', { name: /Start meeting/ });
      if ((await start.count()) === 1) {
        expect(await start.getAttribute('href')).toMatch(/^https:\/\/meet\.example\.com\//);
        started = true;
      }
    }
    expect(started, 'a meeting offers "Start meeting"').toBe(true);
    await check('workspace-schedule-summary-member');

    // The manager, viewing as the rep: the same month, meetings only as busy time.
    await open({ surface: 'tiller_pages', portal: String(portalId), user: manager.userId });
    const viewAs = page.getByLabel('View as');
    // The picker lists the portal's users once they are read; its options are labelled "Name (email)".
    const memberOption = async () => (await viewAs.locator('option').allTextContents()).find((t) => t.startsWith(member.name));
    await expect.poll(memberOption, { timeout: 60_000 }).toBeDefined();
    await viewAs.selectOption({ label: (await memberOption())! });
    await settled();
    panel = await scheduleTab();
    await expect.poll(() => panel.getByTestId('busy-only').count()).toBe(1);
    expect(await panel.getByRole('button', { name: /· Busy$/ }).count()).toBeGreaterThan(0);
    expect(await panel.getByRole('button', { name: /· Meeting: / }).count()).toBe(0);
    await check('workspace-schedule-busy-manager');
  }, 180_000);

  it("the Feed tab: the activity of the rep's contacts, filtered, an item dismissed for good, older items loaded", async () => {
    const member = roles[0]!;
    const feedTab = async () => {
      await page.locator('.pv-extension [role="tab"]', { hasText: 'Feed' }).click();
      await settled();
      return page.locator('[role="tabpanel"]:not([hidden])');
    };
    await open({ surface: 'tiller_pages', portal: String(portalId), user: member.userId });
    let panel = await feedTab();
    await expect.poll(() => panel.getByTestId('feed-count').innerText()).toMatch(/^\d+ items from the \d+ contacts of your companies/);
    const dismissButtons = panel.getByRole('button', { name: 'Dismiss' });
    expect(await dismissButtons.count(), 'the demo rep has feed items').toBeGreaterThan(0);
    await check('workspace-feed-member');
    // Each item names a contact of the sandbox (its link into HubSpot).
    await expectSandboxRecords('[role="tabpanel"]:not([hidden])', 'feed');

    // Dismiss the first item: gone now, and still gone when the tab is opened again.
    const first = (await panel.locator('[data-testid^="feed-"][data-testid*=":"]').first().getAttribute('data-testid'))!;
    await dismissButtons.first().click();
    await expect.poll(() => panel.getByTestId(first).count()).toBe(0);
    await open({ surface: 'tiller_pages', portal: String(portalId), user: member.userId });
    panel = await feedTab();
    await expect.poll(() => panel.getByTestId('feed-count').count()).toBe(1);
    expect(await panel.getByTestId(first).count(), 'a dismissed item stays dismissed').toBe(0);

    // Calls only: every item left is a call.
    await panel.getByLabel('Activity').selectOption({ label: 'Call' });
    await settled();
    const tags = await panel.locator('.hs-tag').allTextContents();
    expect(tags.filter((t) => t !== 'In a sequence').every((t) => t === 'Call')).toBe(true);
    // Older items, when there are more than a page.
    const older = panel.getByRole('button', { name: 'Load older' });
    if (await older.count()) {
      const before = await dismissButtons.count();
      await older.click();
      await expect.poll(() => dismissButtons.count()).toBeGreaterThan(before);
    }
    await check('workspace-feed-calls-member');
  }, 120_000);

  it('switches user, screen and record from the toolbar', async () => {
    const [member, manager] = roles as [Role, Role];
    await open({ surface: 'tiller_pages', portal: String(portalId), user: member.userId });
    expect(await page.getByLabel('View as').count()).toBe(0);
    await Promise.all([page.waitForURL(new RegExp(`user=${manager.userId}`)), page.getByTestId('pick-user').selectOption(manager.userId)]);
    await settled();
    // The picker shows once /api/v1/me says "manager", which may answer after the tab's content.
    await page.getByLabel('View as').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('View as').count(), 'the manager sees View as').toBe(1);
    await Promise.all([page.waitForURL(/surface=tiller_tasks_card/), page.getByTestId('pick-surface').selectOption('tiller_tasks_card')]);
    await settled();
    const record = new URL(page.url()).searchParams.get('record') ?? '';
    expect(record, 'a card opens on a sandbox record').toMatch(/^(contacts|companies|deals)\/\d+$/);
    const options = await page
      .getByTestId('pick-record')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const other = options.find((v) => v !== record)!;
    await Promise.all([
      page.waitForURL(new RegExp(`record=${other.replace('/', '%2F')}`)),
      page.getByTestId('pick-record').selectOption(other),
    ]);
    await settled();
    expect(await page.locator('.pv-page-title').innerText()).not.toBe('');
    expect(consoleErrors).toEqual([]);
  }, 30_000);

  it('shows the settings page: a manager edits a health profile, a member is told to ask', async () => {
    for (const r of roles) {
      await open({ surface: 'tiller_settings', portal: String(portalId), user: r.userId });
      const edit = page.locator('.pv-extension').getByRole('button', { name: 'Edit' });
      if (r.role === 'member') {
        expect(await edit.count(), 'member: edit buttons').toBe(0);
        expect(await page.locator('.pv-extension input, .pv-extension select').count(), 'member: fields').toBe(0);
        expect(await page.locator('.pv-extension [role="progressbar"]').count(), 'member: no copy progress').toBe(0);
        await check('settings-member');
        continue;
      }
      expect(await edit.count(), 'manager: a profile to edit').toBeGreaterThan(0);
      // The portal copy's progress (issue #11): the bar and a row per object type copied.
      const bar = page.locator('.pv-extension [role="progressbar"][aria-label="Portal copy"]');
      expect(await bar.count(), 'manager: the copy progress bar').toBe(1);
      expect(Number(await bar.getAttribute('aria-valuenow')), 'manager: the copy has loaded something').toBeGreaterThan(0);
      const rows = page.locator('.pv-extension [data-testid="sync-objects"] tbody tr');
      expect(await rows.count(), 'manager: a row per object type').toBeGreaterThanOrEqual(10);
      expect(await rows.filter({ hasText: 'Contacts' }).count(), 'manager: contacts listed').toBe(1);
      await check('settings-manager');
      await edit.first().click();
      await settled();
      expect(await page.locator('.pv-extension input:not([readonly])').count(), 'manager: editable fields').toBeGreaterThan(0);
      await check('settings-profile-editor-manager');
    }
  }, 30_000);

  /** Clicks a workspace tab by its title and waits for it to load. */
  async function openTab(title: string): Promise<void> {
    const tab = page.locator('.pv-extension [role="tab"]', { hasText: title });
    await tab.click();
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await settled();
  }

  const panel = () => page.locator('[role="tabpanel"]:not([hidden])');

  it('shows the Summary: today’s schedule, the view cards that open Customers, reports the user chooses (CS-SUM-3, -4, -6)', async () => {
    const [member, manager] = roles as [Role, Role];
    await open({ surface: 'tiller_pages', portal: String(portalId), user: member.userId });
    // Today: the items of the day in the user's zone, or a sentence saying there are none.
    const today = page.getByTestId('today-schedule');
    await expect.poll(() => today.innerText()).toMatch(/times in [\w/]+\.|Nothing scheduled today/);
    // The default views as cards, each with its count; a card opens the Customers tab on its view.
    const cards = page.getByTestId('customer-view-cards');
    expect(await cards.innerText()).toContain('Owned by me');
    await cards.getByRole('button', { name: 'Open Owned by me' }).click();
    await settled();
    await expect
      .poll(() => page.locator('.pv-extension [role="tab"]', { hasText: 'Customers' }).getAttribute('aria-selected'))
      .toBe('true');
    await expectSandboxRecords('[role="tabpanel"]:not([hidden])', 'member Customers from a view card');

    // Reports: charts drawn from the copy; the member adds "Activity per CSM" and it shows.
    await openTab('Customer Success');
    const reports = page.getByTestId('summary-reports');
    expect(await reports.locator('figure.hs-chart, [data-testid^="report-"]').count()).toBeGreaterThan(0);
    await reports.getByRole('button', { name: 'Choose reports' }).click();
    await reports.getByLabel('Activity per CSM').check();
    await reports.getByRole('button', { name: 'Save reports' }).click();
    await settled();
    await expect.poll(() => page.getByTestId('report-activity-per-csm').count()).toBe(1);
    await check('summary-reports-member');

    // A manager viewing as the member sees the member's reports, without the chooser.
    await open({ surface: 'tiller_pages', portal: String(portalId), user: manager.userId });
    const viewAs = page.getByLabel('View as');
    await expect.poll(() => viewAs.isEnabled()).toBe(true);
    const labels = await viewAs.locator('option').allTextContents();
    await viewAs.selectOption({ label: labels.find((l) => l.startsWith(member.name))! });
    await settled();
    await expect.poll(() => page.getByTestId('report-activity-per-csm').count()).toBe(1);
    expect(await page.getByTestId('summary-reports').getByRole('button', { name: 'Choose reports' }).count()).toBe(0);
    await check('summary-view-as-manager');
  }, 60_000);

  it('adds a dashboard shared with a team, which its members open and only its adder deletes (CS-DASH-1, SW-5)', async () => {
    const [member, manager] = roles as [Role, Role];
    // The manager (team Customer Success) shares one with the Sales team, the member's.
    await open({ surface: 'tiller_pages', portal: String(portalId), user: manager.userId });
    await openTab('Dashboards');
    await panel().getByRole('button', { name: 'Add dashboard' }).click();
    await panel().getByLabel('Dashboard name').fill('Renewals review');
    await panel().getByLabel('Renewals by month').check();
    await panel().getByLabel('Who sees it').selectOption({ label: 'Chosen teams' });
    await settled();
    await panel().getByLabel('Sales').check();
    const confirm = panel().getByLabel(/I confirm that/);
    expect(await confirm.locator('xpath=..').innerText()).toContain(member.name);
    const add = panel().getByRole('button', { name: 'Add dashboard' });
    expect(await add.isDisabled(), 'nothing is added before the confirmation').toBe(true);
    await confirm.check();
    await add.click();
    await settled();
    await expect.poll(() => panel().innerText()).toContain('"Renewals review" was added.');
    await check('workspace-dashboards-added-manager');

    // The member sees it and opens it: the report is drawn; it is not theirs to delete.
    await open({ surface: 'tiller_pages', portal: String(portalId), user: member.userId });
    await openTab('Dashboards');
    expect(await panel().innerText()).toContain('Renewals review');
    await panel().getByRole('button', { name: 'Open' }).first().click();
    await settled();
    await expect.poll(() => panel().getByTestId('report-renewals-by-month').count()).toBe(1);
    expect(await panel().getByRole('button', { name: 'Delete dashboard' }).count()).toBe(0);
    await check('workspace-dashboard-open-member');

    // The manager deletes it after confirming.
    await open({ surface: 'tiller_pages', portal: String(portalId), user: manager.userId });
    await openTab('Dashboards');
    await panel().getByRole('button', { name: 'Open' }).first().click();
    await settled();
    await panel().getByRole('button', { name: 'Delete dashboard' }).click();
    await panel().getByRole('button', { name: 'Delete', exact: true }).click();
    await settled();
    await expect.poll(() => panel().innerText()).toContain('The dashboard was deleted.');
    expect(await panel().innerText()).not.toContain('Renewals review');
  }, 60_000);

  describe('on a probe project (tests/preview/fixture)', () => {
    let probe: RunningPreview;
    beforeAll(async () => {
      const full = JSON.parse(readFileSync(path.join(dataDir, 'dev-session.json'), 'utf8')) as Session & {
        backendUrl: string;
        publicBaseUrl: string;
        clientSecret: string;
      };
      probe = await startPreviewServer({
        projectDir: path.resolve('tests/preview/fixture'),
        backendUrl: full.backendUrl,
        publicBaseUrl: full.publicBaseUrl,
        clientSecret: full.clientSecret,
        sandbox: {
          url: full.sandboxUrl,
          portals: full.portals.map((p) => ({
            id: p.id,
            timeZone: 'Europe/Paris',
            accessToken: ACCESS_TOKEN,
            users: p.users.map((u) => ({
              id: u.id,
              email: `${u.id}@example.com`,
              firstName: u.name,
              lastName: '',
              timeZone: null,
              superAdmin: u.superAdmin,
            })),
          })),
        },
        logger: pino({ level: 'silent' }),
      });
    }, 60_000);
    afterAll(() => probe?.close());

    it('shows what host actions and CRM actions would do', async () => {
      consoleErrors.length = 0;
      await page.goto(`${probe.url}?surface=probe_card`);
      await page.getByRole('button', { name: 'Add an alert' }).click();
      await expect.poll(() => page.locator('[data-testid="host-alert"]').innerText()).toContain('The probe was saved.');
      await page.getByRole('button', { name: 'Open an iframe' }).click();
      await expect.poll(() => page.locator('[data-testid="host-modal"]').innerText()).toContain('https://example.com/probe');
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'Preview the company' }).click();
      const log = await page.locator('[data-testid="host-log"]').innerText();
      expect(log).toContain('actions.addAlert');
      expect(log).toContain('actions.openIframeModal');
      expect(log).toContain('CRM action PREVIEW_OBJECT');
      await check('probe-host-actions');
    });

    it('fails loudly on a component or a prop it does not render: on the page and in the console', async () => {
      consoleErrors.length = 0;
      await page.goto(`${probe.url}?surface=broken_card`);
      const errors = page.locator('[data-testid="preview-errors"]');
      await expect.poll(() => errors.count()).toBe(1);
      const text = await errors.innerText();
      expect(text).toContain('<Illustration> has no rendering in the preview');
      expect(text).toContain('<Tag> prop "overlay" is not rendered by the preview');
      expect(consoleErrors.filter((e) => e.startsWith(RENDER_ERROR))).toHaveLength(2);
      // The rest of the card still shows, so the error is seen in context.
      expect(await page.locator('.pv-card').innerText()).toContain('Broken card');
    });
  });
});

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'home'
  );
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`npm start did not print the preview URL in 90 s:\n${log.slice(-3000)}`)), 90_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /preview\s+(http:\/\/127\.0\.0\.1:\d+\/preview)/.exec(log);
      if (m && /Try it:/.test(log)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${log.slice(-3000)}`));
    });
  });
}
