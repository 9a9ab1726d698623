// Deterministic demo-portal generator (issue 3 "Demo portals"): a fixture in the format of
// /work/shared/spec/sandbox-fixture.md, generated from a seed, with timestamps relative to
// `now`, realistic distributions, and planted cases for every guided-action rule.
import { DateTime } from 'luxon';
import type { Fixture } from '../fixture';
import { generateBackground, type BackgroundCounts } from './background';
import { PortalBuilder, type Person, D, OBJECT_TYPES, type ObjType } from './builder';
import { plantForRep, type HealthCase, type PlantedCase, type SequenceDef } from './planted';
import { Rng } from './rng';
import { CUSTOM_DISPOSITION, FIRST_NAMES, GUIDED_ACTION_RULES, LAST_NAMES } from './vocab';

export type { Fixture } from '../fixture';
export type { PlantedCase, HealthCase, HealthCategory, CaseKind } from './planted';
export { GUIDED_ACTION_RULES, type GuidedActionRule } from './vocab';

export type PortalSize = 'small' | 'medium' | 'large';

export interface GenerateOptions {
  seed?: number;
  size?: PortalSize;
  /** all timestamps are relative to this; default: the current time rounded down to the hour */
  now?: Date;
  portalId?: number;
}

export interface DemoRep {
  userId: string;
  ownerId: string;
  name: string;
  email: string;
  timeZone: string;
  superAdmin: boolean;
}

/** What the generator planted, for end-to-end tests (kept outside the fixture). */
export interface DemoPortalMeta {
  seed: number;
  size: PortalSize;
  /** ISO; evaluate rules at this instant (or within each case's holdsForMs) */
  now: string;
  portalId: number;
  accessToken: string;
  /** reps with planted cases for every rule */
  demoReps: DemoRep[];
  /** the rep with the largest book (Zipf rank 1) */
  bigRep: DemoRep;
  /** an owner with no planted cases, used as "another user" in near-misses */
  otherOwnerId: string;
  cases: PlantedCase[];
  health: HealthCase[];
  /** background customers by the health profile they were generated with */
  healthProfiles: { GOOD: number; NEUTRAL: number; AT_RISK: number };
  counts: Record<ObjType | 'associations' | 'engagements', number>;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_PORTAL_ID = 123456;
export const PORTAL_DOMAIN = 'tiller-demo.example';
export const ACCESS_TOKEN = 'sandbox-token';

interface SizeSpec extends BackgroundCounts {
  /** reps beyond the six named ones */
  extraReps: number;
}
export const SIZES: Record<PortalSize, SizeSpec> = {
  small: {
    extraReps: 0,
    companies: 200,
    contacts: 1_000,
    deals: 400,
    leads: 250,
    tasks: 3_000,
    calls: 500,
    emails: 1_200,
    meetings: 300,
    notes: 400,
  },
  medium: {
    extraReps: 9,
    companies: 2_000,
    contacts: 10_000,
    deals: 1_200,
    leads: 600,
    tasks: 15_000,
    calls: 6_000,
    emails: 15_000,
    meetings: 3_000,
    notes: 5_000,
  },
  large: {
    extraReps: 34,
    companies: 20_000,
    contacts: 50_000,
    deals: 5_000,
    leads: 2_000,
    tasks: 50_000,
    calls: 25_000,
    emails: 60_000,
    meetings: 12_000,
    notes: 30_000,
  },
};

// The cast. Order = Zipf rank: Hugo has the largest book. Camille is the manager (super admin).
const DEMO_CAST = [
  { firstName: 'Hugo', lastName: 'Bernard', timeZone: 'Europe/Paris', teamIds: ['2'], superAdmin: false },
  { firstName: 'Maya', lastName: 'Chen', timeZone: 'America/Los_Angeles', teamIds: ['2'], superAdmin: false },
  { firstName: 'Aroha', lastName: 'Ngata', timeZone: 'Pacific/Auckland', teamIds: ['1', '2'], superAdmin: false },
  { firstName: 'Jordan', lastName: 'Reyes', timeZone: 'America/Los_Angeles', teamIds: ['1'], superAdmin: false },
  { firstName: 'Camille', lastName: 'Durand', timeZone: 'Europe/Paris', teamIds: ['1'], superAdmin: true },
] as const;
const OTHER_REP = { firstName: 'Sam', lastName: 'Okafor', timeZone: 'Europe/Paris', teamIds: ['2'], superAdmin: false } as const;
const FORMER = { ownerId: '599', userIdIncludingInactive: 9099, firstName: 'Riley', lastName: 'Moreau' } as const;
const EXTRA_TZ = ['Europe/Paris', 'America/Los_Angeles', 'Europe/Paris', 'America/Los_Angeles', 'Pacific/Auckland'] as const;

const generated = new WeakMap<object, DemoPortalMeta>();

/** The current time rounded down to the hour. */
export function defaultNow(): Date {
  const d = new Date();
  d.setUTCMinutes(0, 0, 0);
  return d;
}

/** Generates a demo portal fixture; same options → identical fixture. */
export function generatePortal(opts: GenerateOptions = {}): Fixture {
  return generateDemoPortal(opts).fixture;
}

/** The planted cases of a fixture returned by generatePortal / generateDemoPortal in this process. */
export function plantedCases(fixture: Fixture): DemoPortalMeta {
  const meta = generated.get(fixture);
  if (!meta)
    throw new Error(
      'plantedCases: this fixture was not produced by generatePortal() in this process (use generateDemoPortal() to get fixture and cases together)',
    );
  return meta;
}

/** Generates the fixture and the list of planted cases. */
export function generateDemoPortal(opts: GenerateOptions = {}): { fixture: Fixture; meta: DemoPortalMeta } {
  const seed = opts.seed ?? DEFAULT_SEED;
  const size = opts.size ?? 'small';
  const spec = SIZES[size];
  if (!spec) throw new Error(`unknown portal size "${String(size)}" (small | medium | large)`);
  const nowDate = opts.now ?? defaultNow();
  const now = nowDate.getTime();
  if (!Number.isFinite(now)) throw new Error('generatePortal: invalid `now`');
  const portalId = opts.portalId ?? DEFAULT_PORTAL_ID;
  const rng = new Rng(seed);
  const b = new PortalBuilder(now, rng);

  // ---- people -----------------------------------------------------------------------------------
  const people: Person[] = [];
  const mkPerson = (
    i: number,
    c: { firstName: string; lastName: string; timeZone: string; teamIds: readonly string[]; superAdmin: boolean },
  ): Person => ({
    userId: String(9001 + i),
    ownerId: String(501 + i),
    email:
      `${c.firstName}.${c.lastName}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^a-z.]/g, '') + `@${PORTAL_DOMAIN}`,
    firstName: c.firstName,
    lastName: c.lastName,
    timeZone: c.timeZone,
    teamIds: [...c.teamIds],
    superAdmin: c.superAdmin,
    offsetMs: DateTime.fromMillis(now, { zone: c.timeZone }).offset * 60_000,
  });
  DEMO_CAST.forEach((c, i) => people.push(mkPerson(i, c)));
  const other = mkPerson(DEMO_CAST.length, OTHER_REP);
  people.push(other);
  const usedNames = new Set(people.map((p) => `${p.firstName} ${p.lastName}`));
  for (let k = 0; k < spec.extraReps; k++) {
    let firstName: string;
    let lastName: string;
    do {
      firstName = rng.pick(FIRST_NAMES);
      lastName = rng.pick(LAST_NAMES);
    } while (usedNames.has(`${firstName} ${lastName}`));
    usedNames.add(`${firstName} ${lastName}`);
    const p = mkPerson(people.length, {
      firstName,
      lastName,
      timeZone: EXTRA_TZ[k % EXTRA_TZ.length]!,
      teamIds: [k % 3 === 0 ? '1' : '2'],
      superAdmin: false,
    });
    people.push(p);
  }
  const demoReps = people.slice(0, DEMO_CAST.length);

  // ---- sequences (two per rep; userId = the rep's user id) ----------------------------------------
  const sequences: SequenceDef[] = [];
  const sequencesByOwner = new Map<string, SequenceDef[]>();
  const SEQ_NAMES = [
    ['Inbound follow-up', 'Renewal outreach'],
    ['Cold outreach', 'Post-demo nurture'],
  ] as const;
  people.forEach((p, i) => {
    const list: SequenceDef[] = SEQ_NAMES[i % 2]!.map((name, j) => ({
      id: String(1001 + i * 2 + j),
      name,
      userId: p.userId,
      steps: [
        { stepOrder: 1, actionType: 'EMAIL', delayMillis: 0, emailPattern: { templateId: String(5001 + j) } },
        {
          stepOrder: 2,
          actionType: 'TASK',
          delayMillis: 2 * D,
          taskPattern: { taskType: 'EMAIL', taskPriority: 'MEDIUM', subject: 'Follow-up email' },
        },
        { stepOrder: 3, actionType: 'TASK', delayMillis: 3 * D, taskPattern: { taskType: 'CALL', taskPriority: 'HIGH', subject: 'Call' } },
        {
          stepOrder: 4,
          actionType: 'TASK',
          delayMillis: 4 * D,
          taskPattern: { taskType: 'LINKED_IN_CONNECT', taskPriority: 'LOW', subject: 'Connect on LinkedIn' },
        },
        { stepOrder: 5, actionType: 'FINISH_ENROLLMENT', delayMillis: 7 * D },
      ],
    }));
    sequences.push(...list);
    sequencesByOwner.set(p.ownerId, list);
  });

  // ---- planted cases first (self-contained), then background up to the size's totals ----------
  const cases: PlantedCase[] = [];
  const health: HealthCase[] = [];
  for (const rep of demoReps) plantForRep(b, rep, other, sequencesByOwner.get(rep.ownerId)!, cases, health);
  const left = (type: ObjType, target: number) => Math.max(0, target - b.objects[type].length);
  const bgStats = generateBackground(b, people, FORMER.ownerId, sequencesByOwner, {
    companies: left('companies', spec.companies),
    contacts: left('contacts', spec.contacts),
    deals: left('deals', spec.deals),
    leads: left('leads', spec.leads),
    tasks: left('tasks', spec.tasks),
    calls: left('calls', spec.calls),
    emails: left('emails', spec.emails),
    meetings: left('meetings', spec.meetings),
    notes: left('notes', spec.notes),
  });

  // ---- fixture ----------------------------------------------------------------------------------
  const fixture: Fixture = {
    version: 1,
    portal: { id: portalId, timeZone: 'Europe/Paris', domain: PORTAL_DOMAIN, accessToken: ACCESS_TOKEN, currency: 'EUR' },
    users: people.map((p) => ({
      id: p.userId,
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      superAdmin: p.superAdmin,
      timeZone: p.timeZone,
      teamIds: p.teamIds,
    })),
    teams: [
      { id: '1', name: 'Customer Success' },
      { id: '2', name: 'Sales' },
    ],
    owners: [
      ...people.map((p) => ({
        id: p.ownerId,
        userId: Number(p.userId),
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        type: 'PERSON' as const,
        teamIds: p.teamIds,
      })),
      {
        id: FORMER.ownerId,
        userId: null,
        userIdIncludingInactive: FORMER.userIdIncludingInactive,
        email: `riley.moreau@${PORTAL_DOMAIN}`,
        firstName: FORMER.firstName,
        lastName: FORMER.lastName,
        type: 'PERSON' as const,
        archived: true,
      },
    ],
    // pipelines: none listed; the sandbox supplies HubSpot's defaults for deals ("default"),
    // leads ("lead-pipeline-id") and tickets ("0"), whose stage ids vocab.ts uses
    properties: {
      companies: [
        {
          name: 'renewal_date',
          label: 'Renewal date',
          type: 'date',
          fieldType: 'date',
          groupName: 'companyinformation',
          description: 'Next contract renewal (demo portal)',
        },
        {
          name: 'nps_score',
          label: 'NPS score',
          type: 'number',
          fieldType: 'number',
          groupName: 'companyinformation',
          description: 'Latest Net Promoter Score answer, 0-10 (demo portal)',
        },
      ],
    },
    objects: b.objects,
    associations: b.associations,
    callDispositions: [{ id: CUSTOM_DISPOSITION.id, label: CUSTOM_DISPOSITION.label }],
    sequences,
    enrollments: b.enrollments,
  };

  const toRep = (p: Person): DemoRep => ({
    userId: p.userId,
    ownerId: p.ownerId,
    name: `${p.firstName} ${p.lastName}`,
    email: p.email,
    timeZone: p.timeZone,
    superAdmin: p.superAdmin,
  });
  const counts = {} as DemoPortalMeta['counts'];
  for (const t of OBJECT_TYPES) counts[t] = b.objects[t].length;
  counts.associations = b.associations.length;
  counts.engagements = counts.tasks + counts.calls + counts.emails + counts.meetings + counts.notes;
  const meta: DemoPortalMeta = {
    seed,
    size,
    now: new Date(now).toISOString(),
    portalId,
    accessToken: ACCESS_TOKEN,
    demoReps: demoReps.map(toRep),
    bigRep: toRep(people[0]!),
    otherOwnerId: other.ownerId,
    cases,
    health,
    healthProfiles: bgStats.healthProfiles,
    counts,
  };
  generated.set(fixture, meta);
  return { fixture, meta };
}

/** Every rule id has at least one trigger per demo rep (used by tests and the ready line). */
export function rulesWithoutTrigger(meta: DemoPortalMeta): string[] {
  const missing: string[] = [];
  for (const rep of meta.demoReps) {
    for (const rule of GUIDED_ACTION_RULES) {
      if (!meta.cases.some((c) => c.rule === rule && c.kind === 'trigger' && c.ownerId === rep.ownerId))
        missing.push(`${rule} for ${rep.name}`);
    }
  }
  return missing;
}
