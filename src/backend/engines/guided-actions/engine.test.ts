import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applyEvaluation,
  compareUrgency,
  evaluateGuidedActions,
  filterByCategory,
  guidedActionId,
  toGuidedAction,
  type EngineAction,
} from './engine';
import { recordUrl, sequencesUrl, taskListUrl, taskUrl } from './links';
import { guidedActionSettingsSchema } from './settings';
import { D, H, MIN, NOW, REP, World, call, contact, deal, incoming, largeInput, meeting, ofRule, outgoing, task } from './test-factories';

describe('grouping', () => {
  it('groups the rep\'s qualifying calls into one "Log outcomes of 3 recent calls" action listing them', () => {
    const w = new World().add(
      'calls',
      call({ id: 'k1', startedAt: NOW - 3 * H }),
      call({ id: 'k2', startedAt: NOW - 2 * D, source: 'CRM_UI', status: null }),
      call({ id: 'k3', startedAt: NOW - 5 * D, source: 'INTEGRATIONS_PLATFORM', status: 'COMPLETED' }),
      call({ id: 'k4', startedAt: NOW - 2 * H, disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7' }),
      call({ id: 'k5', startedAt: NOW - 2 * H, ownerId: 'o2' }),
    );
    const [a, ...rest] = ofRule(w.run(NOW), 'LOG_CALL_OUTCOME');
    expect(rest).toEqual([]);
    expect(a!.title).toBe('Log outcomes of 3 recent calls');
    expect(a!.members.map((m) => m.objectId).sort()).toEqual(['k1', 'k2', 'k3']);
    expect(a!.record).toEqual({ objectType: 'owners', objectId: 'o1', label: 'Your recent calls' });
    expect(a!.links.map((l) => l.href)).toContain('https://app.hubspot.com/contacts/123/record/0-48/k1');
  });

  it('keeps one call-outcome action as members come and go', () => {
    const w = new World().add('calls', call({ id: 'k1' }));
    const first = ofRule(w.run(NOW), 'LOG_CALL_OUTCOME')[0]!;
    w.add('calls', call({ id: 'k2', startedAt: NOW }));
    const later = ofRule(w.run(NOW + 2 * H), 'LOG_CALL_OUTCOME')[0]!;
    expect(later.id).toBe(first.id);
    expect(later.firstSeenAt).toBe(first.firstSeenAt);
    expect(later.members).toHaveLength(2);
  });

  it("groups the rep's open high-priority tasks due today into one action", () => {
    const w = new World().add(
      'tasks',
      task({ id: 't1', priority: 'HIGH', dueAt: NOW + H }),
      task({ id: 't2', priority: 'HIGH', dueAt: NOW - 3 * H }),
      task({ id: 't3', priority: 'LOW', dueAt: NOW + H }),
      task({ id: 't4', priority: 'HIGH', dueAt: NOW + 2 * D }),
    );
    const [a, ...rest] = ofRule(w.run(NOW), 'PRIORITY_TASKS_TODAY');
    expect(rest).toEqual([]);
    expect(a!.members.map((m) => m.objectId).sort()).toEqual(['t1', 't2']);
    expect(a!.reason).toBe('You have 2 high-priority tasks due today (2026-11-22).');
    expect(a!.links[0]).toEqual({ label: 'Start tasks', href: 'https://app.hubspot.com/contacts/123/tasks/list/view/all/' });
  });
});

describe('time zones (rule 12)', () => {
  // NOW = 2026-11-22T12:00Z: 2026-11-23 01:00 in Auckland, 2026-11-22 04:00 in Los Angeles.
  const tasks = () => [
    task({ id: 'early', priority: 'HIGH', dueAt: Date.parse('2026-11-22T09:00:00Z') }), // LA 01:00 on the 22nd; Auckland 22:00 on the 22nd
    task({ id: 'late', priority: 'HIGH', dueAt: Date.parse('2026-11-23T10:00:00Z') }), // LA 02:00 on the 23rd; Auckland 23:00 on the 23rd
    task({ id: 'allday', priority: 'HIGH', isAllDay: true, dueAt: Date.parse('2026-11-23T00:00:00Z') }),
  ];
  it.each([
    ['Pacific/Auckland', ['allday', 'late'], '2026-11-23'],
    ['America/Los_Angeles', ['early'], '2026-11-22'],
  ])('a rep in %s sees the tasks due on their own calendar day', (timeZone, expected, day) => {
    const w = new World().add('tasks', ...tasks());
    w.input.rep.timeZone = timeZone;
    const a = ofRule(w.run(NOW), 'PRIORITY_TASKS_TODAY')[0]!;
    expect(a.members.map((m) => m.objectId).sort()).toEqual(expected);
    expect(a.facts.members).toEqual(expect.arrayContaining([expect.objectContaining({ today: day, timeZone })]));
  });

  it("falls back to the portal's time zone when the rep's is not a valid zone", () => {
    const w = new World().add('tasks', ...tasks());
    w.input.rep.timeZone = 'Not/AZone';
    w.input.portal.timeZone = 'Pacific/Auckland';
    expect(
      ofRule(w.run(NOW), 'PRIORITY_TASKS_TODAY')[0]!
        .members.map((m) => m.objectId)
        .sort(),
    ).toEqual(['allday', 'late']);
  });
});

describe('categories', () => {
  const meetingWorld = (stageId: string | null) => {
    const w = new World().add('meetings', meeting({ id: 'm1' }));
    if (stageId) w.add('deals', deal({ id: 'd1', ownerId: 'o2', stageId })).link('meetings', 'm1', 'deals', 'd1');
    return w;
  };
  it.each([
    ['an open deal', 'appointmentscheduled', 'deal'],
    ['a closed deal', 'closedwon', 'prospecting'],
    ['no deal', null, 'prospecting'],
  ])('a meeting follow-up associated with %s is "%s"', (_what, stageId, category) => {
    expect(ofRule(meetingWorld(stageId).run(NOW), 'MEETING_FOLLOW_UP')[0]!.category).toBe(category);
  });

  it('a call-outcome group is deal-related when one of its calls is on an open deal', () => {
    const w = new World()
      .add('calls', call({ id: 'k1' }), call({ id: 'k2' }))
      .add('deals', deal({ id: 'd1' }))
      .link('calls', 'k2', 'deals', 'd1');
    expect(ofRule(w.run(NOW), 'LOG_CALL_OUTCOME')[0]!.category).toBe('deal');
  });

  it('filters actions to all, deal-related or prospecting-related', () => {
    const w = new World().add('contacts', contact({ id: 'c1' })).add('deals', deal({ id: 'd1', createdAt: NOW - 8 * D }));
    const { actions } = w.run(NOW);
    expect(filterByCategory(actions, 'all')).toHaveLength(actions.length);
    expect(
      filterByCategory(actions, 'deal')
        .map((a) => a.rule)
        .sort(),
    ).toEqual(['ADD_CONTACT_TO_DEAL', 'INITIAL_OUTREACH_NEEDED']);
    expect(filterByCategory(actions, 'prospecting').map((a) => a.rule)).toEqual(['NEWLY_ASSIGNED_CONTACT']);
  });
});

describe('association snapshots (rules 6, 7, 11)', () => {
  it('keeps the contact a meeting had when its follow-up action was created', () => {
    const w = new World()
      .add('meetings', meeting({ id: 'm1' }))
      .add('contacts', contact({ id: 'c1', firstName: 'Ann' }), contact({ id: 'c2', firstName: 'Cy' }))
      .link('meetings', 'm1', 'contacts', 'c1');
    expect(ofRule(w.run(NOW), 'MEETING_FOLLOW_UP')[0]!.associated.map((r) => r.objectId)).toEqual(['c1']);
    w.unlink('meetings', 'm1', 'contacts', 'c1').link('meetings', 'm1', 'contacts', 'c2');
    const later = w.run(NOW + H);
    expect(ofRule(later, 'MEETING_FOLLOW_UP')[0]!.associated.map((r) => r.objectId)).toEqual(['c1']);
    expect(later.seen).toEqual([]); // nothing new to store
    // Without the remembered state, the live associations are used.
    const fresh = evaluateGuidedActions(w.input, NOW + H);
    expect(ofRule(fresh, 'MEETING_FOLLOW_UP')[0]!.associated.map((r) => r.objectId)).toEqual(['c2']);
  });

  it('keeps the contact a meeting had when its prepare action was created', () => {
    const w = new World()
      .add('meetings', meeting({ id: 'm1', startAt: NOW + 2 * H, endAt: NOW + 3 * H }))
      .add('contacts', contact({ id: 'c1' }), contact({ id: 'c2' }))
      .link('meetings', 'm1', 'contacts', 'c1');
    w.run(NOW);
    w.unlink('meetings', 'm1', 'contacts', 'c1').link('meetings', 'm1', 'contacts', 'c2');
    expect(ofRule(w.run(NOW + H), 'PREPARE_FOR_MEETING')[0]!.associated.map((r) => r.objectId)).toEqual(['c1']);
  });

  it("snapshots each call of a group when it joins, and stores the new member's snapshot", () => {
    const w = new World()
      .add('calls', call({ id: 'k1' }), call({ id: 'k2', startedAt: NOW }))
      .add('contacts', contact({ id: 'c1' }), contact({ id: 'c2' }), contact({ id: 'c3' }))
      .link('calls', 'k1', 'contacts', 'c1')
      .link('calls', 'k2', 'contacts', 'c3');
    w.run(NOW);
    w.unlink('calls', 'k1', 'contacts', 'c1').link('calls', 'k1', 'contacts', 'c2');
    const res = w.run(NOW + 2 * H); // k2 joins now, with c3
    expect(ofRule(res, 'LOG_CALL_OUTCOME')[0]!.associated.map((r) => r.objectId)).toEqual(['c1', 'c3']);
    expect(res.seen[0]!.snapshot!.members).toEqual({
      k1: [expect.objectContaining({ objectId: 'c1' })],
      k2: [expect.objectContaining({ objectId: 'c3' })],
    });
  });
});

describe('identity and age', () => {
  const world = () => new World().add('contacts', contact({ id: 'c1' }));

  it('gives an action a stable id of (rule, record, user), independent of time', () => {
    const a = ofRule(world().run(NOW), 'NEWLY_ASSIGNED_CONTACT')[0]!;
    const b = ofRule(world().run(NOW + 3 * D), 'NEWLY_ASSIGNED_CONTACT')[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(guidedActionId('NEWLY_ASSIGNED_CONTACT', 'contacts:c1', REP.userId));
    expect(guidedActionId('NEWLY_ASSIGNED_CONTACT', 'contacts:c1', 'u2')).not.toBe(a.id);
    expect(guidedActionId('EMAIL_REPLY', 'contacts:c1', REP.userId)).not.toBe(a.id);
    expect(guidedActionId('NEWLY_ASSIGNED_CONTACT', 'contacts:c2', REP.userId)).not.toBe(a.id);
  });

  it('starts an action at the event the data shows, not when Tiller first computes it', () => {
    const a = ofRule(world().run(NOW), 'NEWLY_ASSIGNED_CONTACT')[0]!;
    expect(a.firstSeenAt).toBe(new Date(NOW - 2 * D).toISOString());
    expect(a.expiresAt).toBe(new Date(NOW + 28 * D).toISOString());
  });

  it('starts it at the first evaluation when the data does not show the event, and remembers that', () => {
    const w = new World().add('contacts', contact({ id: 'c1', ownerAssignedAt: null }));
    const first = w.run(NOW);
    expect(first.seen[0]).toMatchObject({ firstSeenAt: NOW, expiredAt: null });
    const a = ofRule(w.run(NOW + 5 * D), 'NEWLY_ASSIGNED_CONTACT')[0]!;
    expect(a.firstSeenAt).toBe(new Date(NOW).toISOString());
    expect(a.facts.assumptions).toEqual([expect.stringContaining('Assignment time unknown')]);
    expect(ofRule(w.run(NOW + 30 * D), 'NEWLY_ASSIGNED_CONTACT')).toEqual([]);
  });

  it('never shows an action whose creating event is already past its age limit, and remembers it expired', () => {
    const w = new World().add('deals', deal({ id: 'd1', createdAt: NOW - 40 * D }));
    const res = w.run(NOW);
    expect(ofRule(res, 'ADD_CONTACT_TO_DEAL')).toEqual([]);
    expect(res.expired).toContainEqual(expect.objectContaining({ rule: 'ADD_CONTACT_TO_DEAL', condition: 'age' }));
    expect(res.seen).toContainEqual(expect.objectContaining({ rule: 'ADD_CONTACT_TO_DEAL', expiredAt: NOW - 26 * D }));
  });

  it('treats a new reply as a new action even if the previous one expired', () => {
    const bo = 'boc1@client.example';
    const w = new World()
      .add('contacts', contact({ id: 'c1' }))
      .add('emails', outgoing('e1', NOW - 20 * D, bo), incoming('e2', NOW - 19 * D, bo))
      .link('contacts', 'c1', 'emails', 'e1')
      .link('contacts', 'c1', 'emails', 'e2');
    expect(ofRule(w.run(NOW), 'EMAIL_REPLY')).toEqual([]);
    w.add('emails', outgoing('e3', NOW + H, bo), incoming('e4', NOW + 2 * H, bo))
      .link('contacts', 'c1', 'emails', 'e3')
      .link('contacts', 'c1', 'emails', 'e4');
    const a = ofRule(w.run(NOW + 3 * H), 'EMAIL_REPLY')[0]!;
    expect(a.firstSeenAt).toBe(new Date(NOW + 2 * H).toISOString());
    expect(a.reason).toBe('Bo Client replied on 2026-11-22 15:00 and you have not replied since.');
  });
});

describe('ordering', () => {
  it('puts the most urgent first: today, then replies, deal momentum, warm signals, hygiene', () => {
    const bo = 'boc1@client.example';
    const w = new World()
      .add('contacts', contact({ id: 'c1' }), contact({ id: 'c2', email: 'x@other.example' }))
      .add('deals', deal({ id: 'd1', createdAt: NOW - 8 * D }))
      .add('emails', outgoing('e1', NOW - 3 * D, bo), incoming('e2', NOW - 2 * D, bo))
      .link('contacts', 'c1', 'emails', 'e1')
      .link('contacts', 'c1', 'emails', 'e2')
      .add('calls', call({ id: 'k1' }))
      .add('tasks', task({ id: 't1', priority: 'HIGH', dueAt: NOW + H }))
      .add('meetings', meeting({ id: 'm1', startAt: NOW + 5 * H, endAt: NOW + 6 * H }));
    const { actions } = w.run(NOW);
    expect(actions.slice(0, 2).map((a) => a.rule)).toEqual([
      'PRIORITY_TASKS_TODAY', // tier 0, due 13:00Z
      'PREPARE_FOR_MEETING', // tier 0, meeting at 17:00Z
    ]);
    // tier 1: the reply makes both rules 5 and 8 fire (same due time; then by id)
    expect(new Set(actions.slice(2, 4).map((a) => a.rule))).toEqual(new Set(['EMAIL_REPLY', 'CONTACT_AWAITING_REPLY']));
    expect(actions[4]!.rule).toBe('LOG_CALL_OUTCOME'); // tier 2
    expect(new Set(actions.slice(5).map((a) => a.rule))).toEqual(
      new Set(['NEWLY_ASSIGNED_CONTACT', 'ADD_CONTACT_TO_DEAL', 'INITIAL_OUTREACH_NEEDED']),
    );
    expect([...actions].sort(compareUrgency)).toEqual(actions);
    const tiers = actions.map((a) => a.urgency.tier);
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
  });

  it('within a tier, sorts by the earliest due time, actions without one last', () => {
    const mk = (id: string, dueAt: string | null, firstSeenAt = '2026-11-01T00:00:00.000Z') =>
      ({ id, urgency: { tier: 1, dueAt }, firstSeenAt }) as EngineAction;
    const sorted = [
      mk('c', null),
      mk('b', '2026-11-25T00:00:00.000Z'),
      mk('a', '2026-11-23T00:00:00.000Z'),
      mk('d', null, '2026-10-01T00:00:00.000Z'),
    ].sort(compareUrgency);
    expect(sorted.map((a) => a.id)).toEqual(['a', 'b', 'd', 'c']);
  });
});

describe('settings', () => {
  it('has the rule book defaults', () => {
    const s = guidedActionSettingsSchema.parse({});
    expect(s).toMatchObject({
      hubspotCallingSources: ['VOIP'],
      prepareMeetingWindowHours: 24,
      newlyAssignedMaxAgeDays: 30,
      emailReplyMaxAgeDays: 14,
      awaitingReplyMaxAgeDays: 14,
      replyToEmailMaxAgeDays: 7,
      callOutcomeDelayMinutes: 60,
    });
    expect(s.engagedSignals).toHaveLength(7);
  });

  it('lets a portal count other call sources as HubSpot calling', () => {
    const w = new World().add('calls', call({ id: 'k1', source: 'INTEGRATIONS_PLATFORM', status: null }));
    expect(ofRule(w.run(NOW), 'LOG_CALL_OUTCOME')).toHaveLength(1);
    w.withSettings({ hubspotCallingSources: ['VOIP', 'INTEGRATIONS_PLATFORM'] });
    expect(ofRule(w.peek(NOW), 'LOG_CALL_OUTCOME')).toEqual([]);
  });

  it('lets a portal widen the prepare-for-meeting window', () => {
    const w = new World().add('meetings', meeting({ id: 'm1', startAt: NOW + 30 * H, endAt: NOW + 31 * H }));
    expect(ofRule(w.peek(NOW), 'PREPARE_FOR_MEETING')).toEqual([]);
    w.withSettings({ prepareMeetingWindowHours: 48 });
    expect(ofRule(w.peek(NOW), 'PREPARE_FOR_MEETING')).toHaveLength(1);
  });

  it('rejects nonsense', () => {
    expect(() => guidedActionSettingsSchema.parse({ newlyAssignedMaxAgeDays: -1 })).toThrow();
  });
});

describe('lifecycle', () => {
  it('with a customised lifecycle, only its last stage ends "newly assigned"', () => {
    const w = new World().add(
      'contacts',
      contact({ id: 'c1', lifecycleStage: 'customer' }),
      contact({ id: 'c2', lifecycleStage: '3016596683' }),
    );
    w.input.lifecycleStages = [
      { value: 'lead', label: 'Lead', displayOrder: 0 },
      { value: 'customer', label: 'Customer', displayOrder: 1 },
      { value: '3016596683', label: 'Renewal', displayOrder: 2 },
      { value: 'archived', label: 'Archived', displayOrder: 3, hidden: true },
    ];
    const actions = ofRule(w.run(NOW), 'NEWLY_ASSIGNED_CONTACT');
    expect(actions.map((a) => a.record.objectId)).toEqual(['c1']);
    expect(actions[0]!.facts.assumptions).toEqual([expect.stringContaining('Customised lifecycle')]);
  });
});

describe('links', () => {
  const portal = { id: '123', timeZone: 'UTC' };
  it.each([
    [recordUrl(portal, 'contacts', '1'), 'https://app.hubspot.com/contacts/123/record/0-1/1'],
    [recordUrl(portal, 'leads', '9'), 'https://app.hubspot.com/contacts/123/record/0-136/9'],
    [recordUrl({ ...portal, domain: 'app-eu1.hubspot.com' }, 'deals', '5'), 'https://app-eu1.hubspot.com/contacts/123/record/0-3/5'],
    [taskListUrl(portal), 'https://app.hubspot.com/contacts/123/tasks/list/view/all/'],
    [taskUrl(portal, '7'), 'https://app.hubspot.com/contacts/123/tasks/list/view/all/?taskId=7'],
    [sequencesUrl(portal), 'https://app.hubspot.com/sequences/123'],
  ])('builds %s', (url, expected) => expect(url).toBe(expected));
});

describe('the API shape', () => {
  it('maps an engine action to the contract with the stored feedback', () => {
    const a = new World().add('contacts', contact({ id: 'c1' })).run(NOW).actions[0]!;
    const g = toGuidedAction(a, 'YES_CONTINUE');
    expect(g).toMatchObject({ id: a.id, rule: a.rule, feedback: 'YES_CONTINUE' });
    expect(g).not.toHaveProperty('urgency');
    expect(g).not.toHaveProperty('recordKey');
  });
});

describe('scale', () => {
  it('evaluates a rep with 2,000 contacts, 300 deals, 150 leads and 20,000 engagements', () => {
    const input = largeInput();
    expect(input.contacts.length + input.calls.length + input.emails.length + input.tasks.length).toBeGreaterThan(10_000);
    const res = evaluateGuidedActions(input, NOW + MIN);
    expect(res.actions.length).toBeGreaterThan(0);
    expect(new Set(res.actions.map((a) => a.id)).size).toBe(res.actions.length);
  });

  // The engine's whole output on the large book, pinned: a change meant to be only faster must
  // leave every action, fact, reason, link and remembered entry as it was. (A deliberate change
  // of the rules changes these digests; check the difference, then update them.)
  it('gives the same output as before, byte for byte, on the large book', () => {
    const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
    const input = largeInput();
    const first = evaluateGuidedActions(input, NOW + MIN);
    const later = evaluateGuidedActions(input, NOW + 3 * D + 5 * H, applyEvaluation([], first));
    input.rep.timeZone = 'America/New_York';
    const dst = evaluateGuidedActions(input, Date.parse('2026-11-01T06:30:00Z'), applyEvaluation(applyEvaluation([], first), later));
    expect([first.actions.length, later.actions.length, later.expired.length, later.cleared.length, dst.actions.length]).toEqual([
      3410, 2513, 69, 836, 1340,
    ]);
    expect([digest(first), digest(later), digest(dst)]).toEqual(['c384892892938c97', 'd034f2c61117e2ee', '9d5d9231a91f2000']);
  });
});
