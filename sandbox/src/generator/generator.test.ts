import { describe, expect, it } from 'vitest';
import { builtinPropertyType } from '../catalog';
import { validateFixture } from '../fixture';
import { buildPortal } from '../store';
import { GUIDED_ACTION_RULES, generateDemoPortal, generatePortal, plantedCases, rulesWithoutTrigger, type Fixture } from './index';
import { RuleOracle } from './oracle';

const NOW = new Date('2026-11-22T19:00:00Z');
type Rec = { id: string; properties?: Record<string, string | null>; propertiesWithHistory?: Record<string, unknown[]> };
const objs = (f: Fixture, type: string) => (f.objects?.[type] ?? []) as Rec[];
const prop = (r: Rec, name: string) => r.properties?.[name] ?? undefined;

// datetime properties the generator writes; checked as the sandbox would once it knows their types
const DATETIME_PROPS = new Set([
  'createdate',
  'hs_createdate',
  'hs_timestamp',
  'hubspot_owner_assigneddate',
  'closedate',
  'hs_task_completion_date',
  'hs_meeting_start_time',
  'hs_meeting_end_time',
  'notes_last_updated',
  'hs_sales_email_last_opened',
  'hs_sales_email_last_replied',
  'hs_sales_email_last_clicked',
  'hs_latest_disqualified_lead_date',
  'hs_pipeline_stage_last_updated',
  'closed_date',
  'hs_latest_sequence_enrolled_date',
]);

describe('demo portal generator (issue 3, "Demo portals")', () => {
  const { fixture, meta } = generateDemoPortal({ seed: 42, now: NOW });

  it('is deterministic by seed: same seed → identical JSON, other seed → different', () => {
    const again = generatePortal({ seed: 42, now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(fixture));
    const other = generatePortal({ seed: 43, now: NOW });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(fixture));
  });

  it('loads cleanly with the sandbox loader (as JSON, with the catalog property types)', () => {
    const json = JSON.parse(JSON.stringify(fixture)) as unknown;
    const loaded = validateFixture(
      json,
      'generated-small',
      (t, name) => builtinPropertyType(t, name) ?? (DATETIME_PROPS.has(name) ? 'datetime' : undefined),
    );
    expect(loaded.portal.accessToken).toBe('sandbox-token');
    expect(loaded.portal.id).toBe(123456);
    expect(() => buildPortal(fixture, NOW.getTime(), 'generated-small')).not.toThrow();
  });

  it('small: sizes, reps in Paris, Los Angeles and Auckland, one super admin, owners map to users', () => {
    expect(objs(fixture, 'companies')).toHaveLength(200);
    expect(objs(fixture, 'contacts')).toHaveLength(1000);
    expect(objs(fixture, 'tasks')).toHaveLength(3000);
    const tzs = new Set(fixture.users!.map((u) => u.timeZone));
    expect([...tzs].sort()).toEqual(['America/Los_Angeles', 'Europe/Paris', 'Pacific/Auckland']);
    expect(fixture.users!.filter((u) => u.superAdmin)).toHaveLength(1);
    const userIds = new Set(fixture.users!.map((u) => u.id));
    for (const o of fixture.owners!) if (!o.archived) expect(userIds.has(String(o.userId))).toBe(true);
    expect(fixture.portal.accessToken).toBe('sandbox-token');
  });

  it('ids are unique and every association end exists (and no pair is repeated)', () => {
    const ids = new Set<string>();
    for (const [type, list] of Object.entries(fixture.objects!)) {
      for (const r of list) {
        const key = `${type}/${r.id}`;
        expect(ids.has(key)).toBe(false);
        ids.add(key);
      }
    }
    const pairs = new Set<string>();
    for (const a of fixture.associations!) {
      expect(ids.has(a.from), a.from).toBe(true);
      expect(ids.has(a.to), a.to).toBe(true);
      const k = [a.from, a.to].sort().join('|');
      expect(pairs.has(k), k).toBe(false);
      pairs.add(k);
    }
    const emails = objs(fixture, 'contacts').map((c) => prop(c, 'email'));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('timestamps are relative to now: tasks within ±31 days, nothing created in the future', () => {
    const now = NOW.getTime();
    for (const t of objs(fixture, 'tasks')) {
      const due = Date.parse(prop(t, 'hs_timestamp')!);
      expect(Math.abs(due - now)).toBeLessThanOrEqual(31 * 86_400_000);
    }
    for (const [, list] of Object.entries(fixture.objects!)) {
      for (const r of list as Rec[]) {
        const c = prop(r, 'createdate') ?? prop(r, 'hs_createdate');
        expect(Date.parse(c!)).toBeLessThanOrEqual(now);
      }
    }
    const at = (r: Rec, p: string) => Date.parse(prop(r, p)!);
    for (const t of objs(fixture, 'tasks')) {
      if (prop(t, 'hs_task_completion_date')) expect(at(t, 'hs_task_completion_date')).toBeGreaterThanOrEqual(at(t, 'hs_createdate'));
      if (prop(t, 'hs_task_completion_date')) expect(at(t, 'hs_task_completion_date')).toBeLessThanOrEqual(now);
    }
    for (const m of objs(fixture, 'meetings')) {
      expect(at(m, 'hs_meeting_end_time')).toBeGreaterThan(at(m, 'hs_meeting_start_time'));
      expect(at(m, 'hs_createdate')).toBeLessThanOrEqual(at(m, 'hs_meeting_start_time'));
    }
    for (const type of ['calls', 'emails', 'notes'])
      for (const r of objs(fixture, type)) expect(at(r, 'hs_timestamp')).toBeLessThanOrEqual(now);
    for (const d of objs(fixture, 'deals')) {
      const closed = ['closedwon', 'closedlost'].includes(prop(d, 'dealstage')!);
      expect(at(d, 'closedate') <= now).toBe(closed);
    }
    const shifted = generatePortal({ seed: 42, now: new Date(NOW.getTime() + 86_400_000) });
    expect(
      Date.parse(prop(objs(shifted, 'tasks')[0]!, 'hs_timestamp')!) - Date.parse(prop(objs(fixture, 'tasks')[0]!, 'hs_timestamp')!),
    ).toBe(86_400_000);
  });

  it('covers the value space: task statuses and priorities, lead stages, deal stages, calls, emails, meetings', () => {
    const tasks = objs(fixture, 'tasks');
    expect(new Set(tasks.map((t) => prop(t, 'hs_task_status')))).toEqual(
      new Set(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
    );
    expect(new Set(tasks.map((t) => prop(t, 'hs_task_priority')))).toEqual(new Set(['LOW', 'MEDIUM', 'HIGH', 'NONE', undefined]));
    expect(tasks.some((t) => prop(t, 'hs_task_sequence_step_order') && prop(t, 'hs_task_sequence_step_enrollment_id'))).toBe(true);
    expect(tasks.some((t) => prop(t, 'hs_task_is_all_day') === 'true')).toBe(true);
    expect(new Set(objs(fixture, 'leads').map((l) => prop(l, 'hs_pipeline_stage')))).toEqual(
      new Set(['new-stage-id', 'attempting-stage-id', 'connected-stage-id', 'qualified-stage-id', 'unqualified-stage-id']),
    );
    expect(new Set(objs(fixture, 'deals').map((d) => prop(d, 'dealstage'))).size).toBe(7);
    expect(objs(fixture, 'deals').some((d) => prop(d, 'hs_next_step') && d.propertiesWithHistory?.hs_next_step)).toBe(true);
    const calls = objs(fixture, 'calls');
    expect(new Set(calls.map((c) => prop(c, 'hs_call_source')))).toEqual(new Set(['VOIP', 'INTEGRATIONS_PLATFORM', 'CRM_UI']));
    expect(calls.some((c) => prop(c, 'hs_call_disposition'))).toBe(true);
    expect(calls.some((c) => !prop(c, 'hs_call_disposition'))).toBe(true);
    expect(calls.some((c) => !prop(c, 'hs_call_status'))).toBe(true);
    const emails = objs(fixture, 'emails');
    const out = emails.filter((e) => prop(e, 'hs_email_direction') === 'EMAIL');
    const inc = emails.filter((e) => prop(e, 'hs_email_direction') === 'INCOMING_EMAIL');
    const opened = out.filter((e) => Number(prop(e, 'hs_email_open_count')) > 0).length / out.length;
    expect(opened).toBeGreaterThan(0.3);
    expect(opened).toBeLessThan(0.7);
    expect(inc.length / out.length).toBeGreaterThan(0.05);
    expect(inc.length / out.length).toBeLessThan(0.3);
    const threads = new Map(out.map((e) => [prop(e, 'hs_email_thread_id'), e]));
    for (const r of inc) {
      const o = threads.get(prop(r, 'hs_email_thread_id'));
      expect(o, 'reply without its outgoing email').toBeDefined();
      expect(prop(r, 'hs_email_from_email')).toBe(prop(o!, 'hs_email_to_email'));
      expect(prop(r, 'hs_email_to_email')).toBe(prop(o!, 'hs_email_from_email'));
    }
    const meetings = objs(fixture, 'meetings');
    const now = NOW.getTime();
    expect(meetings.some((m) => Date.parse(prop(m, 'hs_meeting_start_time')!) > now)).toBe(true);
    expect(meetings.some((m) => Date.parse(prop(m, 'hs_meeting_start_time')!) < now && prop(m, 'hs_meeting_outcome') === 'COMPLETED')).toBe(
      true,
    );
    expect(meetings.some((m) => prop(m, 'hs_meeting_external_url'))).toBe(true);
    const contacts = objs(fixture, 'contacts');
    expect(contacts.filter((c) => c.propertiesWithHistory?.hubspot_owner_id).length).toBeGreaterThan(50);
    expect(objs(fixture, 'companies').some((c) => prop(c, 'hs_is_target_account') === 'true')).toBe(true);
    expect(fixture.properties!.companies!.map((p) => p.name)).toEqual(['renewal_date', 'nps_score']);
  });

  it('owners have uneven books (Zipf-like)', () => {
    const perOwner = new Map<string, number>();
    for (const c of objs(fixture, 'contacts')) {
      const o = prop(c, 'hubspot_owner_id');
      if (o) perOwner.set(o, (perOwner.get(o) ?? 0) + 1);
    }
    const sizes = [...perOwner.values()].sort((a, b) => b - a);
    expect(sizes[0]! / sizes[sizes.length - 1]!).toBeGreaterThan(2);
    expect(perOwner.get(meta.bigRep.ownerId)).toBe(sizes[0]);
  });

  it('plants a trigger and a near-miss of every guided-action rule for every demo rep', () => {
    expect(plantedCases(fixture)).toBe(meta);
    expect(rulesWithoutTrigger(meta)).toEqual([]);
    for (const rep of meta.demoReps) {
      for (const rule of GUIDED_ACTION_RULES) {
        expect(
          meta.cases.some((c) => c.rule === rule && c.kind === 'near-miss' && c.ownerId === rep.ownerId),
          `${rule} near-miss for ${rep.name}`,
        ).toBe(true);
      }
    }
  });

  it('every planted case holds under a literal reading of the rule book, now and until holdsForMs', () => {
    const oracle = new RuleOracle(fixture);
    const repOf = new Map(meta.demoReps.map((r) => [r.ownerId, r]));
    const wrong: string[] = [];
    for (const c of meta.cases) {
      const rep = repOf.get(c.ownerId)!;
      const ref = `${c.record.objectType}/${c.record.id}`;
      for (const rel of c.related) expect(oracle.get(rel), rel).toBeDefined();
      for (const at of [NOW.getTime(), NOW.getTime() + Math.min(c.holdsForMs, 86_400_000) - 1000]) {
        const fires = oracle.fires(c.rule, rep, ref, at);
        if (fires !== (c.kind === 'trigger'))
          wrong.push(`${rep.name} ${c.rule} ${c.kind} ${ref} (${c.why}) at +${Math.round((at - NOW.getTime()) / 60000)} min`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('customers fall in all three health categories under a sensible score', () => {
    const companies = objs(fixture, 'companies');
    const byRef = new Map(companies.map((c) => [`companies/${c.id}`, c]));
    const openTickets = new Map<string, number>();
    const ticketOpen = new Map(objs(fixture, 'tickets').map((t) => [`tickets/${t.id}`, prop(t, 'hs_pipeline_stage') !== '4']));
    for (const a of fixture.associations!) {
      if (byRef.has(a.from) && ticketOpen.get(a.to)) openTickets.set(a.from, (openTickets.get(a.from) ?? 0) + 1);
    }
    const now = NOW.getTime();
    const score = (c: Rec) => {
      const s = prop(c, 'hs_csm_sentiment');
      const nps = prop(c, 'nps_score');
      const open = openTickets.get(`companies/${c.id}`) ?? 0;
      const last = prop(c, 'notes_last_updated');
      const daysSince = last ? (now - Date.parse(last)) / 86_400_000 : Infinity;
      const renewalIn = (Date.parse(prop(c, 'renewal_date')!) - now) / 86_400_000;
      return (
        (s === 'Positive' ? 25 : s === 'Negative' ? 0 : 12) +
        (nps === undefined ? 12 : Number(nps) >= 9 ? 25 : Number(nps) >= 7 ? 15 : 0) +
        ([20, 12, 6][open] ?? 0) +
        (daysSince <= 14 ? 20 : daysSince <= 45 ? 10 : 0) +
        (renewalIn > 90 ? 10 : renewalIn >= 30 ? 5 : 0)
      );
    };
    const category = (n: number) => (n < 40 ? 'AT_RISK' : n < 70 ? 'NEUTRAL' : 'GOOD');
    for (const h of meta.health)
      expect(category(score(byRef.get(`companies/${h.companyId}`)!)), `${h.expected} ${h.companyId}`).toBe(h.expected);
    const customers = companies.filter((c) => prop(c, 'lifecyclestage') === 'customer');
    const counts = { AT_RISK: 0, NEUTRAL: 0, GOOD: 0 };
    for (const c of customers) counts[category(score(c))]++;
    for (const k of ['AT_RISK', 'NEUTRAL', 'GOOD'] as const)
      expect(counts[k] / customers.length, `${k} share ${JSON.stringify(counts)}`).toBeGreaterThan(0.1);
  });
});

describe('large portal', () => {
  it('meets the issue-3 volumes and the big-rep book in one generation', () => {
    const { fixture, meta } = generateDemoPortal({ seed: 7, size: 'large', now: NOW });
    const c = meta.counts;
    expect(c.contacts).toBeGreaterThanOrEqual(50_000);
    expect(c.companies).toBeGreaterThanOrEqual(20_000);
    expect(c.deals).toBeGreaterThanOrEqual(5_000);
    expect(c.leads).toBeGreaterThanOrEqual(2_000);
    expect(c.engagements).toBeGreaterThanOrEqual(200_000);
    const O = meta.bigRep.ownerId;
    const owned = (type: string) => objs(fixture, type).filter((r) => prop(r, 'hubspot_owner_id') === O).length;
    expect(owned('contacts')).toBeGreaterThanOrEqual(2_000);
    expect(owned('deals')).toBeGreaterThanOrEqual(300);
    expect(owned('leads')).toBeGreaterThanOrEqual(150);
    expect(['tasks', 'calls', 'emails', 'meetings', 'notes'].reduce((n, t) => n + owned(t), 0)).toBeGreaterThanOrEqual(20_000);
    expect(rulesWithoutTrigger(meta)).toEqual([]);
    // background never breaks a planted case (e.g. no meeting sneaks in before PREPARE_FOR_MEETING's)
    const oracle = new RuleOracle(fixture);
    const big = meta.cases.filter((x) => x.ownerId === O);
    const wrong = big.filter(
      (x) => oracle.fires(x.rule, meta.bigRep, `${x.record.objectType}/${x.record.id}`, NOW.getTime()) !== (x.kind === 'trigger'),
    );
    expect(wrong.map((x) => `${x.rule} ${x.kind} ${x.why}`)).toEqual([]);
  }, 180_000);
});
