// Sandbox portal fixture — format v1 (/work/shared/spec/sandbox-fixture.md).
// The schema only grows: add optional fields, never rename or remove.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resolveObjectType } from './object-types';

const nonEmpty = z.string().min(1, 'must be a non-empty string');
const numericId = z.string().regex(/^\d+$/, 'must be a string of digits');

/** ISO-8601 UTC ("2026-11-01T09:00:00Z") or epoch milliseconds (number or digit string). */
export const timestampSchema = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  if (parseTimestamp(v) === undefined)
    ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not an ISO-8601 UTC datetime or epoch milliseconds` });
});

const portalSchema = z.strictObject({
  id: z.number().int().positive(),
  timeZone: nonEmpty.refine(isTimeZone, 'must be an IANA time zone id such as "Europe/Paris"'),
  domain: z.string().optional(),
  accessToken: nonEmpty.default('sandbox-token'),
  // optional: granted scopes; when present, calls needing a missing scope get 403
  scopes: z.array(nonEmpty).optional(),
  currency: z.string().optional(),
});

const userSchema = z.strictObject({
  id: numericId,
  email: nonEmpty,
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  superAdmin: z.boolean().default(false),
  timeZone: nonEmpty.refine(isTimeZone, 'must be an IANA time zone id').nullable().optional(),
  teamIds: z.array(nonEmpty).default([]),
});

const teamSchema = z.strictObject({ id: nonEmpty, name: nonEmpty });

const ownerSchema = z.strictObject({
  id: numericId,
  userId: z.number().int().positive().nullable().optional(),
  email: z.string().default(''),
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  type: z.enum(['PERSON', 'QUEUE']).default('PERSON'),
  archived: z.boolean().default(false),
  // deactivated users: userId null, userIdIncludingInactive set (reference §3.5)
  userIdIncludingInactive: z.number().int().positive().nullable().optional(),
  teamIds: z.array(nonEmpty).optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});

const stageSchema = z.strictObject({
  id: nonEmpty,
  label: nonEmpty,
  displayOrder: z.number().int().default(0),
  // HubSpot returns metadata values as strings (reference §0.6, §2.3)
  metadata: z.record(z.string(), z.string()).default({}),
  archived: z.boolean().default(false),
});

const pipelineSchema = z.strictObject({
  id: nonEmpty,
  label: nonEmpty,
  displayOrder: z.number().int().default(0),
  archived: z.boolean().default(false),
  stages: z.array(stageSchema).min(1, 'a pipeline needs at least one stage'),
});

const optionSchema = z.strictObject({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
  description: z.string().optional(),
});

export const PROPERTY_TYPES = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
  'phone_number',
  'object_coordinates',
  'json',
] as const;

const propertyDefSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]+$/, 'must be a lowercase internal name ([a-z0-9_])'),
  label: z.string().optional(),
  type: z.enum(PROPERTY_TYPES),
  fieldType: nonEmpty,
  groupName: z.string().optional(),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  calculated: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
  formField: z.boolean().optional(),
});

const historyEntrySchema = z.strictObject({
  value: z.string(),
  timestamp: timestampSchema,
  sourceType: z.string().optional(),
  sourceId: z.string().optional(),
  sourceLabel: z.string().optional(),
  updatedByUserId: z.number().int().optional(),
});

const recordSchema = z.strictObject({
  id: numericId,
  properties: z.record(z.string(), z.string().nullable()).default({}),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  archived: z.boolean().default(false),
  archivedAt: timestampSchema.optional(),
  propertiesWithHistory: z.record(z.string(), z.array(historyEntrySchema)).optional(),
});

const associationSchema = z.strictObject({
  from: z.string().regex(/^[^/]+\/\d+$/, 'must be "<objectType>/<id>", e.g. "contacts/1"'),
  to: z.string().regex(/^[^/]+\/\d+$/, 'must be "<objectType>/<id>", e.g. "deals/7"'),
  typeId: z.number().int().positive().optional(),
  category: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']).optional(),
});

const labelSchema = z.strictObject({
  from: nonEmpty,
  to: nonEmpty,
  typeId: z.number().int().positive(),
  label: nonEmpty,
  category: z.enum(['USER_DEFINED', 'INTEGRATOR_DEFINED']).default('USER_DEFINED'),
  inverseTypeId: z.number().int().positive().optional(),
  inverseLabel: z.string().optional(),
});

const dispositionSchema = z.strictObject({ id: nonEmpty, label: nonEmpty });

const sequenceSchema = z.strictObject({
  id: numericId,
  name: nonEmpty,
  userId: numericId,
  folderId: z.string().optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  steps: z.array(z.record(z.string(), z.unknown())).optional(),
});

// A sequence enrollment (reference §3.8): the public API reads only a contact's latest one, and the
// tasks a sequence creates carry its id (hs_task_sequence_step_enrollment_id).
const enrollmentSchema = z.strictObject({
  id: numericId,
  sequenceId: numericId,
  contactId: numericId,
  enrolledBy: numericId,
  enrolledAt: timestampSchema,
});

export const fixtureSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).optional(),
  portal: portalSchema,
  users: z.array(userSchema).default([]),
  teams: z.array(teamSchema).default([]),
  owners: z.array(ownerSchema).default([]),
  pipelines: z.record(z.string(), z.array(pipelineSchema)).default({}),
  properties: z.record(z.string(), z.array(propertyDefSchema)).default({}),
  objects: z.record(z.string(), z.array(recordSchema)).default({}),
  associations: z.array(associationSchema).default([]),
  // optional extensions (sandbox-only): user-defined association labels, custom call
  // outcomes (added to HubSpot's six defaults), sequences
  associationLabels: z.array(labelSchema).optional(),
  callDispositions: z.array(dispositionSchema).optional(),
  sequences: z.array(sequenceSchema).optional(),
  enrollments: z.array(enrollmentSchema).optional(),
});

const shellSchema = fixtureSchema.extend({
  objects: z.record(z.string(), z.array(z.unknown())).default({}),
  associations: z.array(z.unknown()).default([]),
});

const RECORD_KEYS = new Set(['id', 'properties', 'createdAt', 'updatedAt', 'archived', 'archivedAt', 'propertiesWithHistory']);
const historySchema = z.record(z.string(), z.array(historyEntrySchema));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const validTs = (v: unknown) => (typeof v === 'string' || typeof v === 'number') && parseTimestamp(v) !== undefined;

function checkRecord(r: unknown, path: PropertyKey[], add: (p: PropertyKey[], m: string) => void): FixtureRecord {
  const out: FixtureRecord = { id: '', properties: {}, archived: false };
  if (!isObj(r)) {
    add(path, 'expected an object');
    return out;
  }
  for (const k of Object.keys(r)) if (!RECORD_KEYS.has(k)) add(path, `Unrecognized key: "${k}"`);
  if (typeof r.id !== 'string' || !/^\d+$/.test(r.id)) add([...path, 'id'], 'must be a string of digits');
  else out.id = r.id;
  if (r.properties !== undefined) {
    if (!isObj(r.properties)) add([...path, 'properties'], 'expected an object of property name to string');
    else {
      for (const [k, v] of Object.entries(r.properties))
        if (v !== null && typeof v !== 'string') add([...path, 'properties', k], `expected string or null, received ${typeof v}`);
      out.properties = r.properties as Record<string, string | null>;
    }
  }
  for (const k of ['createdAt', 'updatedAt', 'archivedAt'] as const) {
    if (r[k] === undefined) continue;
    if (!validTs(r[k])) add([...path, k], `"${String(r[k])}" is not an ISO-8601 UTC datetime or epoch milliseconds`);
    else out[k] = r[k] as string | number;
  }
  if (r.archived !== undefined) {
    if (typeof r.archived !== 'boolean') add([...path, 'archived'], 'expected boolean');
    else out.archived = r.archived;
  }
  if (r.propertiesWithHistory !== undefined) {
    const h = historySchema.safeParse(r.propertiesWithHistory);
    if (!h.success) for (const i of h.error.issues) add([...path, 'propertiesWithHistory', ...i.path], i.message);
    else out.propertiesWithHistory = h.data;
  }
  return out;
}

const END = /^[^/]+\/\d+$/;
function checkAssociation(
  a: unknown,
  path: PropertyKey[],
  add: (p: PropertyKey[], m: string) => void,
): LoadedFixture['associations'][number] | undefined {
  if (!isObj(a)) {
    add(path, 'expected an object');
    return undefined;
  }
  let ok = true;
  for (const k of Object.keys(a))
    if (!['from', 'to', 'typeId', 'category'].includes(k)) {
      add(path, `Unrecognized key: "${k}"`);
      ok = false;
    }
  if (typeof a.from !== 'string' || !END.test(a.from)) {
    add([...path, 'from'], 'must be "<objectType>/<id>", e.g. "contacts/1"');
    ok = false;
  }
  if (typeof a.to !== 'string' || !END.test(a.to)) {
    add([...path, 'to'], 'must be "<objectType>/<id>", e.g. "deals/7"');
    ok = false;
  }
  if (a.typeId !== undefined && !(Number.isInteger(a.typeId) && (a.typeId as number) > 0)) {
    add([...path, 'typeId'], 'must be a positive integer');
    ok = false;
  }
  if (a.category !== undefined && !['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED'].includes(a.category as string)) {
    add([...path, 'category'], 'must be HUBSPOT_DEFINED, USER_DEFINED or INTEGRATOR_DEFINED');
    ok = false;
  }
  return ok ? (a as LoadedFixture['associations'][number]) : undefined;
}

/** What a fixture file or the generator provides (defaults not yet applied). */
export type Fixture = z.input<typeof fixtureSchema>;
/** A validated fixture with defaults applied. */
export type LoadedFixture = z.output<typeof fixtureSchema>;
export type FixtureRecord = z.output<typeof recordSchema>;
/** A record as a fixture gives it (defaults not applied: `properties`, `archived` may be absent). */
export type FixtureRecordInput = z.input<typeof recordSchema>;
export type FixturePropertyDef = z.output<typeof propertyDefSchema>;
export type FixturePipeline = z.output<typeof pipelineSchema>;

export class FixtureError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid sandbox fixture (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
    this.name = 'FixtureError';
  }
}

/** Epoch ms of an ISO-8601 UTC string or epoch-ms number/string; undefined when malformed. */
export function parseTimestamp(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && Number.isInteger(v) && v >= 0 ? v : undefined;
  if (/^\d{1,15}$/.test(v)) return Number(v);
  // ISO-8601 with an explicit UTC designator or offset; date-only "YYYY-MM-DD" is midnight UTC
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** Property types the sandbox checks values against while loading (name -> type). */
export type PropertyTypeLookup = (objectType: string, name: string) => string | undefined;

/**
 * Validates a fixture strictly: shape, then cross-references (object types, duplicate ids,
 * association ends, owners, teams, datetime values). Throws FixtureError listing every problem
 * as "<source>: <JSON path>: <what is wrong>"; never returns a half-valid fixture.
 */
export function validateFixture(data: unknown, source = '<fixture>', propertyType?: PropertyTypeLookup): LoadedFixture {
  // The bulk (records, associations) is checked by hand: zod on 300k records takes ~20 s.
  const parsed = shellSchema.safeParse(data);
  const problems: string[] = [];
  const add = (path: PropertyKey[], msg: string) => problems.push(`${source}: ${jsonPath(path)}: ${msg}`);
  if (!parsed.success) {
    for (const i of parsed.error.issues) add(i.path, i.message);
  }
  const objects: Record<string, FixtureRecord[]> = {};
  // records are checked even when the rest failed, so every problem is reported at once
  const rawData = isObj(data) && isObj(data.objects) ? data.objects : {};
  const rawObjects: Record<string, unknown[]> = parsed.success
    ? parsed.data.objects
    : Object.fromEntries(Object.entries(rawData).filter((e): e is [string, unknown[]] => Array.isArray(e[1])));
  for (const [key, list] of Object.entries(rawObjects)) {
    objects[key] = list.map((r, i) => checkRecord(r, ['objects', key, i], add));
  }
  const associations: LoadedFixture['associations'] = [];
  (parsed.success ? parsed.data.associations : []).forEach((a, i) => {
    const ok = checkAssociation(a, ['associations', i], add);
    if (ok) associations.push(ok);
  });
  if (problems.length || !parsed.success) throw new FixtureError(problems);
  const fx: LoadedFixture = { ...parsed.data, objects, associations };

  const teamIds = new Set<string>();
  fx.teams.forEach((t, i) => {
    if (teamIds.has(t.id)) add(['teams', i, 'id'], `duplicate team id "${t.id}"`);
    teamIds.add(t.id);
  });
  const userIds = new Set<string>();
  fx.users.forEach((u, i) => {
    if (userIds.has(u.id)) add(['users', i, 'id'], `duplicate user id "${u.id}"`);
    userIds.add(u.id);
    u.teamIds.forEach((t, j) => {
      if (!teamIds.has(t)) add(['users', i, 'teamIds', j], `unknown team id "${t}"`);
    });
  });
  const ownerIds = new Set<string>();
  fx.owners.forEach((o, i) => {
    if (ownerIds.has(o.id)) add(['owners', i, 'id'], `duplicate owner id "${o.id}"`);
    ownerIds.add(o.id);
    if (o.userId != null && !userIds.has(String(o.userId))) add(['owners', i, 'userId'], `unknown user id ${o.userId} (not in "users")`);
    o.teamIds?.forEach((t, j) => {
      if (!teamIds.has(t)) add(['owners', i, 'teamIds', j], `unknown team id "${t}"`);
    });
  });

  for (const key of Object.keys(fx.pipelines)) {
    const t = resolveObjectType(key);
    if (!t) add(['pipelines', key], `unknown object type "${key}"`);
    const ids = new Set<string>();
    fx.pipelines[key]!.forEach((p, i) => {
      if (ids.has(p.id)) add(['pipelines', key, i, 'id'], `duplicate pipeline id "${p.id}"`);
      ids.add(p.id);
      const stageIds = new Set<string>();
      p.stages.forEach((s, j) => {
        if (stageIds.has(s.id)) add(['pipelines', key, i, 'stages', j, 'id'], `duplicate stage id "${s.id}"`);
        stageIds.add(s.id);
      });
    });
  }
  for (const key of Object.keys(fx.properties)) {
    if (!resolveObjectType(key)) add(['properties', key], `unknown object type "${key}"`);
    const names = new Set<string>();
    fx.properties[key]!.forEach((p, i) => {
      if (names.has(p.name)) add(['properties', key, i, 'name'], `duplicate property "${p.name}"`);
      names.add(p.name);
      if (p.type === 'enumeration' && !p.options) add(['properties', key, i, 'options'], 'an enumeration property needs options');
    });
  }

  // records: object type -> ids (canonical type name)
  const recordIds = new Map<string, Set<string>>();
  const canonicalKeys = new Map<string, string>();
  for (const key of Object.keys(fx.objects)) {
    const t = resolveObjectType(key);
    if (!t) {
      add(['objects', key], `unknown object type "${key}" (use a name such as "contacts" or an id such as "0-162" or "2-1234")`);
      continue;
    }
    if (t.name === 'users') {
      add(['objects', key], 'users records come from the top-level "users" list, not "objects"');
      continue;
    }
    if (canonicalKeys.has(t.name)) add(['objects', key], `object type given twice ("${canonicalKeys.get(t.name)}" and "${key}")`);
    canonicalKeys.set(t.name, key);
    const ids = recordIds.get(t.name) ?? new Set<string>();
    recordIds.set(t.name, ids);
    const extra = new Map((fx.properties[t.name] ?? fx.properties[t.id] ?? []).map((p) => [p.name, p.type]));
    fx.objects[key]!.forEach((r, i) => {
      if (ids.has(r.id)) add(['objects', key, i, 'id'], `duplicate ${t.name} id "${r.id}"`);
      ids.add(r.id);
      for (const [name, value] of Object.entries(r.properties)) {
        if (value === null || value === '') continue;
        const type = extra.get(name) ?? propertyType?.(t.name, name);
        if ((type === 'datetime' || type === 'date') && parseTimestamp(value) === undefined) {
          add(['objects', key, i, 'properties', name], `"${value}" is not a valid ${type} (ISO-8601 UTC or epoch milliseconds)`);
        } else if (type === 'number' && !Number.isFinite(Number(value))) {
          add(['objects', key, i, 'properties', name], `"${value}" is not a number`);
        } else if (type === 'bool' && !['true', 'false'].includes(value)) {
          add(['objects', key, i, 'properties', name], `"${value}" is not "true" or "false"`);
        }
        if (name === 'hubspot_owner_id' && !ownerIds.has(value)) {
          add(['objects', key, i, 'properties', name], `unknown owner id "${value}" (not in "owners")`);
        }
      }
    });
  }

  fx.associations.forEach((a, i) => {
    for (const end of ['from', 'to'] as const) {
      const [typeKey, id] = a[end].split('/') as [string, string];
      const t = resolveObjectType(typeKey);
      if (!t) add(['associations', i, end], `unknown object type "${typeKey}"`);
      else if (t.name === 'users') add(['associations', i, end], 'users cannot be associated');
      else if (!recordIds.get(t.name)?.has(id))
        add(['associations', i, end], `dangling association end: no ${t.name} record with id "${id}"`);
    }
  });

  if (problems.length) throw new FixtureError(problems);
  return fx;
}

/**
 * A fixture produced by the sandbox's own generator: its tests load it with the strict loader, so
 * start-up only runs zod on the small top-level parts (portal, users, owners, pipelines, properties:
 * for their defaults) and takes records and associations as they are (~4 s saved on the large
 * portal). The portal builder still refuses a dangling association. Fixture files and `fixtures`
 * passed in by callers keep the strict `validateFixture`.
 */
export function trustGeneratedFixture(data: Fixture): LoadedFixture {
  const shell = shellSchema.parse({ ...data, objects: {}, associations: [] });
  return {
    ...shell,
    objects: (data.objects ?? {}) as LoadedFixture['objects'],
    associations: (data.associations ?? []) as LoadedFixture['associations'],
  };
}

/** Reads and validates a fixture JSON file; throws FixtureError with one line per problem. */
export function loadFixtureFile(path: string, propertyType?: PropertyTypeLookup): LoadedFixture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FixtureError([`${path}: cannot read file: ${(err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FixtureError([`${path}: $: not valid JSON: ${(err as Error).message}`]);
  }
  return validateFixture(data, path, propertyType);
}
