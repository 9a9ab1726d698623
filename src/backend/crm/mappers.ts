import { z } from 'zod';
import type { AccountInfo, CrmRecord, HubSpotUser, Owner, Pipeline, PropertyDefinition, Sequence, SequenceEnrollment } from './types';
import { readNumber, readString } from './values';

// SDK models are classes with Date fields; convert once here, so nothing past crm/ sees them.

type SdkRecord = {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date | string;
  updatedAt: Date | string;
  archived?: boolean;
  propertiesWithHistory?: Record<string, { value: string; timestamp: Date | string }[]>;
};

const iso = (d: Date | string | undefined | null): string =>
  d instanceof Date ? d.toISOString() : typeof d === 'string' ? d : new Date(0).toISOString();

export function toCrmRecord(r: SdkRecord): CrmRecord {
  const record: CrmRecord = {
    id: String(r.id),
    properties: { ...r.properties },
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
  if (r.archived) record.archived = true;
  if (r.propertiesWithHistory) {
    record.propertiesWithHistory = Object.fromEntries(
      Object.entries(r.propertiesWithHistory).map(([name, list]) => [
        name,
        list.map((v) => ({ value: v.value, timestamp: iso(v.timestamp) })),
      ]),
    );
  }
  return record;
}

export function toOwner(o: {
  id: string;
  userId?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  archived: boolean;
  teams?: { id: string; name: string }[];
}): Owner {
  return {
    id: String(o.id),
    userId: o.userId ?? null,
    email: o.email ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
    archived: o.archived,
    teams: (o.teams ?? []).map((t) => ({ id: String(t.id), name: t.name })),
  };
}

export function toUser(r: CrmRecord): HubSpotUser {
  const internal = r.properties.hs_internal_user_id;
  return {
    id: r.id,
    userId: readNumber(internal),
    timeZone: readString(r.properties.hs_standard_time_zone),
  };
}

const accountSchema = z.object({ portalId: z.coerce.number(), timeZone: z.string().min(1) });

export function toAccountInfo(body: unknown): AccountInfo {
  return accountSchema.parse(body);
}

export function toPipeline(p: {
  id: string;
  label: string;
  displayOrder: number;
  stages: { id: string; label: string; displayOrder: number; metadata?: Record<string, string> }[];
}): Pipeline {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, metadata: { ...(s.metadata ?? {}) } })),
  };
}

export function toPropertyDefinition(p: {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  options: { label: string; value: string; displayOrder?: number; hidden: boolean }[];
  referencedObjectType?: string;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
}): PropertyDefinition {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    options: (p.options ?? []).map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? 0, hidden: o.hidden })),
    // Kept only when HubSpot sends it: it tells a "HubSpot user" property from other dropdowns.
    ...(p.referencedObjectType ? { referencedObjectType: p.referencedObjectType } : {}),
    // Kept only when true: HubSpot refuses writes of calculated and read-only values.
    ...(p.calculated || p.modificationMetadata?.readOnlyValue ? { readOnly: true } : {}),
  };
}

const userAccessPageSchema = z.object({
  results: z.array(z.object({ id: z.coerce.number().int(), superAdmin: z.boolean().optional() })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

/** One page of GET /settings/v3/users/: ids and the super-admin flag. */
export function toUserAccessPage(body: unknown): { results: { id: number; superAdmin: boolean }[]; after?: string } {
  const page = userAccessPageSchema.parse(body);
  return { results: page.results.map((u) => ({ id: u.id, superAdmin: u.superAdmin ?? false })), after: page.paging?.next?.after };
}

const hubspotId = z.union([z.string().min(1), z.number()]).transform(String);
const enrollmentSchema = z.object({ id: hubspotId, sequenceId: hubspotId, sequenceName: z.string().default('') });

/** GET /automation/v4/sequences/enrollments/contact/{contactId} (reference §3.8). */
export function toSequenceEnrollment(body: unknown): SequenceEnrollment {
  return enrollmentSchema.parse(body);
}

const sequencesPageSchema = z.object({
  results: z.array(z.object({ id: hubspotId, name: z.string(), userId: hubspotId.nullish() })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

/** One page of GET /automation/v4/sequences?userId= (reference §3.8). */
export function toSequencesPage(body: unknown): { results: Sequence[]; after?: string } {
  const page = sequencesPageSchema.parse(body);
  return { results: page.results.map((r) => ({ id: r.id, name: r.name, userId: r.userId ?? null })), after: page.paging?.next?.after };
}
