// Sequences in the generated demo portal, over raw HTTP (reference hubspot-crm-data.md §3.8 and the
// task properties table): sequence tasks carry their enrollment's id and contact, the tasks of one
// enrollment share it, a task comes from one of its sequence's TASK steps, and
// GET /automation/v4/sequences/enrollments/contact/{id} answers the contact's latest enrollment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortal, type Fixture } from './generator';
import { startSandbox, type Sandbox } from './server';

const NOW = new Date('2026-11-22T19:00:00Z');
type Rec = { id: string; properties?: Record<string, string | null> };

let sb: Sandbox;
let fixture: Fixture;
let token: string;

async function get(path: string, bearer = token) {
  const res = await fetch(sb.url + path, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  fixture = generatePortal({ seed: 3, now: NOW });
  const scoped: Fixture = {
    ...fixture,
    portal: { ...fixture.portal, id: fixture.portal.id + 1, accessToken: 'no-sequences', scopes: ['oauth', 'crm.objects.contacts.read'] },
  };
  sb = await startSandbox({
    fixtures: [fixture, scoped],
    now: () => NOW.getTime(),
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
  });
  token = fixture.portal.accessToken!;
});
afterAll(() => sb.close());

const seqTasks = () => ((fixture.objects?.tasks ?? []) as Rec[]).filter((t) => t.properties?.hs_task_sequence_step_enrollment_id);

describe('generated sequence tasks and enrollments (reference §3.8)', () => {
  it('every sequence task names a listed enrollment of its contact, and a TASK step of that sequence', () => {
    const enrollments = new Map((fixture.enrollments ?? []).map((e) => [e.id, e]));
    const tasks = seqTasks();
    expect(tasks.length).toBeGreaterThan(20);
    for (const t of tasks) {
      const e = enrollments.get(t.properties!.hs_task_sequence_step_enrollment_id!);
      expect(e, t.id).toBeDefined();
      expect(t.properties!.hs_task_sequence_step_enrollment_contact_id).toBe(e!.contactId);
      const seq = fixture.sequences!.find((s) => s.id === e!.sequenceId)!;
      const step = seq.steps!.find((s) => String(s.stepOrder) === t.properties!.hs_task_sequence_step_order);
      expect(step?.actionType, `task ${t.id} step`).toBe('TASK');
    }
    // One enrollment, several steps: some enrollment id is shared by two tasks (planted: steps 1 and 3).
    const counts = new Map<string, number>();
    for (const t of tasks)
      counts.set(
        t.properties!.hs_task_sequence_step_enrollment_id!,
        (counts.get(t.properties!.hs_task_sequence_step_enrollment_id!) ?? 0) + 1,
      );
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
  });

  it("answers a task's contact's latest enrollment with the sequence's id and name", async () => {
    const latest = new Map<string, NonNullable<Fixture['enrollments']>[number]>();
    for (const e of [...(fixture.enrollments ?? [])].sort((a, b) => Date.parse(String(a.enrolledAt)) - Date.parse(String(b.enrolledAt))))
      latest.set(e.contactId, e);
    const t = seqTasks().find(
      (x) =>
        latest.get(x.properties!.hs_task_sequence_step_enrollment_contact_id!)?.id === x.properties!.hs_task_sequence_step_enrollment_id,
    )!;
    const e = latest.get(t.properties!.hs_task_sequence_step_enrollment_contact_id!)!;
    const r = await get(`/automation/v4/sequences/enrollments/contact/${e.contactId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: e.id,
      sequenceId: e.sequenceId,
      sequenceName: fixture.sequences!.find((s) => s.id === e.sequenceId)!.name,
      enrolledAt: new Date(Date.parse(String(e.enrolledAt))).toISOString(),
      toEmail: expect.stringContaining('@'),
    });
    // A contact never enrolled: 404.
    const enrolled = new Set((fixture.enrollments ?? []).map((x) => x.contactId));
    const never = ((fixture.objects?.contacts ?? []) as Rec[]).find((c) => !enrolled.has(c.id))!;
    expect((await get(`/automation/v4/sequences/enrollments/contact/${never.id}`)).status).toBe(404);
  });

  it('needs automation.sequences.read, the one read scope of the sequences API (HubSpot sequences guide, "Scope requirements")', async () => {
    const contactId = fixture.enrollments![0]!.contactId;
    const r = await get(`/automation/v4/sequences/enrollments/contact/${contactId}`, 'no-sequences');
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toContain('automation.sequences.read');
    expect((await get('/automation/v4/sequences?userId=1', 'no-sequences')).status).toBe(403);
  });
});
