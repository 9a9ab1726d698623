import type { Logger } from 'pino';
import type { SequenceCardsResponse } from '../contract/sequences';
import { RequestMeter, runWithCallContext } from '../crm/meter';
import type { CrmGateway } from '../crm/gateway';
import { CrmError } from '../crm/errors';
import { OPTIONAL_SCOPES } from '../crm/scopes';
import { readNumber } from '../crm/values';
import { cardsPage, enrollmentsToResolve, sequenceCards, type EnrollmentSequence, type SequenceTaskInput } from '../engines/sequence-cards';
import {
  createCopyRepo,
  createInstallationsRepo,
  createSequencesRepo,
  readOpenSequenceTasks,
  type Queryable,
  type StoredEnrollment,
} from '../storage';
import { freshnessOf } from '../sync/status';
import { recordLabel } from './record-labels';

/** Tasks shown per card ("the first few"). */
export const TASKS_PER_CARD = 5;
/**
 * Contacts asked about per request (one call each, GET …/enrollments/contact/{id}): the first screen
 * of a rep never seen before costs at most this many calls; the rest wait on the `loading` card
 * for the next loads. Once every enrollment is known, a load makes no HubSpot call.
 */
export const RESOLVE_PER_REQUEST = 10;
/** Tasks of the one card asked for ("all tasks in sequence"). */
export const ALL_TASKS_MAX = 200;
/** Names older than this are refreshed from the user's sequence list (one call, when a card shows one). */
export const NAME_MAX_AGE_MS = 24 * 3_600_000;

const SCOPE = 'automation.sequences.read';

type SequenceTaskRow = SequenceTaskInput & { contactId: string | null };

/** The owner's open sequence tasks from the copy, with their enrolled contact. */
async function readSequenceTasks(db: Queryable, portalId: number, ownerId: string): Promise<SequenceTaskRow[]> {
  const copy = createCopyRepo(db);
  const records = await readOpenSequenceTasks(db, portalId, { ownerId: ownerId, completedStatuses: ['COMPLETED'] });
  // The enrolled contact: the task's own property, else (copies loaded before it was copied) its first associated contact.
  const contactOf = new Map<string, string>();
  const lacking: string[] = [];
  for (const r of records) {
    const c = r.properties.hs_task_sequence_step_enrollment_contact_id;
    if (c) contactOf.set(r.id, c);
    else lacking.push(r.id);
  }
  if (lacking.length > 0)
    for (const [taskId, refs] of await copy.associations(portalId, 'tasks', lacking, 'contacts'))
      if (refs[0]) contactOf.set(taskId, [...refs].sort((a, b) => Number(a.id) - Number(b.id))[0]!.id);
  const contacts = await copy.getRecords(portalId, 'contacts', [...new Set(contactOf.values())]);

  return records.map((r) => {
    const contactId = contactOf.get(r.id) ?? null;
    const contact = contactId ? contacts.get(contactId) : undefined;
    return {
      id: r.id,
      subject: r.properties.hs_task_subject || '(no subject)',
      dueAt: r.dueAt?.getTime() ?? null,
      step: readNumber(r.properties.hs_task_sequence_step_order),
      enrollmentId: r.properties.hs_task_sequence_step_enrollment_id!,
      contactId,
      contact: contactId
        ? {
            objectType: 'contacts',
            objectId: contactId,
            label: contact
              ? recordLabel('contacts', { id: contactId, properties: contact.properties, createdAt: '', updatedAt: '' })
              : `Contact ${contactId}`,
          }
        : null,
    };
  });
}

type Answers = { rows: StoredEnrollment[]; names: Map<string, string>; forbidden: boolean; failed: boolean };

/** Asks HubSpot each contact's latest enrollment: it names that enrollment; the contact's others can no longer be named. */
async function askContacts(crm: CrmGateway, portalId: number, todo: { contactId: string; enrollmentIds: string[] }[]): Promise<Answers> {
  const out: Answers = { rows: [], names: new Map(), forbidden: false, failed: false };
  const crmPortal = crm.portal(portalId);
  await Promise.all(
    todo.map(async ({ contactId, enrollmentIds: ids }) => {
      try {
        const latest = await crmPortal.contactEnrollment(contactId);
        if (latest) out.names.set(latest.sequenceId, latest.sequenceName);
        for (const id of ids) out.rows.push({ enrollmentId: id, contactId, sequenceId: latest?.id === id ? latest.sequenceId : null });
        // The latest enrollment is worth keeping even when no open task names it (yet).
        if (latest && !ids.includes(latest.id)) out.rows.push({ enrollmentId: latest.id, contactId, sequenceId: latest.sequenceId });
      } catch (err) {
        if (err instanceof CrmError && err.kind === 'forbidden') out.forbidden = true;
        else out.failed = true;
      }
    }),
  );
  return out;
}

async function storeAnswers(db: Queryable, portalId: number, a: Answers, at: Date): Promise<void> {
  const repo = createSequencesRepo(db);
  await repo.putEnrollments(portalId, a.rows, at);
  await repo.putNames(
    portalId,
    [...a.names].filter(([, name]) => name).map(([sequenceId, name]) => ({ sequenceId, name })),
    at,
  );
}

/**
 * SW-2: the user's open sequence tasks from the portal copy, one card per sequence. The sequence of
 * an enrollment comes from the stored mapping (migration 017); enrollments never asked about are
 * asked now, within RESOLVE_PER_REQUEST contacts.
 */
export async function getSequenceCards(
  db: Queryable,
  crm: CrmGateway,
  portalId: number,
  input: {
    userId: number;
    page: number;
    limit: number;
    now: number;
    sequence?: string;
    /** Told when enrollments are left to ask about (and asking can go on): the background resolver. */
    onPending?: (ownerId: string) => void;
  },
): Promise<SequenceCardsResponse> {
  const { userId, page, limit, now } = input;
  const copy = createCopyRepo(db);
  const repo = createSequencesRepo(db);
  const [freshness, owners, install] = await Promise.all([
    freshnessOf(copy, portalId, now),
    copy.owners(portalId),
    createInstallationsRepo(db).get(portalId),
  ]);
  const base = { page, limit, ...freshness };
  const owner = owners.find((o) => o.userId === userId && !o.archived);
  if (!owner) {
    const why = freshness.syncing
      ? 'Tiller is still copying this portal from HubSpot; sequence tasks appear as soon as they are loaded.'
      : 'You are not a HubSpot owner in this portal, so no sequence tasks are assigned to you.';
    return { cards: [], total: 0, openTasks: 0, pendingEnrollments: 0, partial: true, warnings: [why], ...base };
  }

  const tasks = await readSequenceTasks(db, portalId, owner.id);

  const enrollmentIds = [...new Set(tasks.map((t) => t.enrollmentId))];
  const stored = await repo.enrollments(portalId, enrollmentIds);
  const warnings: string[] = [];
  let missingScope: SequenceCardsResponse['missingScope'];
  const scopeDeclined = install !== undefined && !install.scopes.includes(SCOPE);
  if (scopeDeclined) missingScope = { scope: SCOPE, sentence: OPTIONAL_SCOPES[SCOPE] };

  // Ask HubSpot about enrollments never asked about, one contact per call.
  const todo = scopeDeclined ? [] : enrollmentsToResolve(tasks, (id) => stored.has(id), RESOLVE_PER_REQUEST);
  const answers = await askContacts(crm, portalId, todo);
  if (answers.forbidden) missingScope = { scope: SCOPE, sentence: OPTIONAL_SCOPES[SCOPE] };
  const hubspotFailed = answers.failed;
  const at = new Date(now);
  await storeAnswers(db, portalId, answers, at);
  const asked = answers.rows;
  const crmPortal = crm.portal(portalId);
  for (const row of asked) if (!stored.has(row.enrollmentId)) stored.set(row.enrollmentId, row);

  let known = await repo.names(portalId, [...new Set([...stored.values()].flatMap((e) => (e.sequenceId ? [e.sequenceId] : [])))]);
  // Names are refreshed from the user's sequence list now and then (one cached call).
  if (!missingScope && [...known.values()].some((n) => now - n.updatedAt.getTime() > NAME_MAX_AGE_MS)) {
    try {
      const list = await crmPortal.sequences(userId);
      await repo.putNames(
        portalId,
        list.map((s) => ({ sequenceId: s.id, name: s.name })),
        at,
      );
      known = await repo.names(portalId, [...known.keys()]);
    } catch {
      // Stale names are still right enough; the next load tries again.
    }
  }

  const sequenceOf = (enrollmentId: string): EnrollmentSequence => {
    const e = stored.get(enrollmentId);
    if (!e) return undefined;
    if (!e.sequenceId) return null;
    return { sequenceId: e.sequenceId, name: known.get(e.sequenceId)?.name ?? `Sequence ${e.sequenceId}` };
  };
  // An enrollment none of whose tasks names a contact can never be asked about, nor any while the
  // scope is missing: shown as not named by HubSpot rather than loading.
  const askable = new Set(missingScope ? [] : tasks.flatMap((t) => (t.contactId ? [t.enrollmentId] : [])));
  const resolved = (id: string): EnrollmentSequence => {
    const s = sequenceOf(id);
    return s === undefined && !askable.has(id) ? null : s;
  };
  const all = sequenceCards(tasks, resolved, { now, tasksPerCard: input.sequence ? ALL_TASKS_MAX : TASKS_PER_CARD });
  // One card and all its tasks: a sequence id, or the "loading" / "unknown" group.
  const cards = input.sequence ? all.filter((c) => (c.sequenceId ?? c.state) === input.sequence) : all;
  const pending = enrollmentIds.filter((id) => resolved(id) === undefined).length;
  if (pending > 0 && !missingScope) {
    warnings.push(
      `${pending} enrollment${pending === 1 ? ' is' : 's are'} still being matched to ${pending === 1 ? 'its' : 'their'} sequence in the background; their tasks are on the "Sequence (loading)" card until then.`,
    );
    if (!hubspotFailed) input.onPending?.(owner.id);
  }
  if (hubspotFailed) warnings.push('HubSpot did not answer for some enrollments; Tiller asks again on the next load.');
  if (missingScope) warnings.push(missingScope.sentence);
  return {
    cards: cardsPage(cards, page, limit),
    total: cards.length,
    openTasks: input.sequence ? cards.reduce((n, c) => n + c.openTasks, 0) : tasks.length,
    pendingEnrollments: pending,
    ...(warnings.length > 0 ? { partial: true as const, warnings } : {}),
    ...(missingScope ? { missingScope } : {}),
    ...base,
  };
}

/** Contacts the background asks about after one load, at most (rounds of RESOLVE_PER_REQUEST). */
export const BACKGROUND_MAX_CONTACTS = 200;

export type SequenceResolver = {
  /** Asks about the owner's pending enrollments in the background (once at a time per owner). */
  kick(portalId: number, ownerId: string): void;
  /** Settles when no background resolution runs (tests, shutdown). */
  idle(): Promise<void>;
};

/**
 * Resolves, after a load, the enrollments it left pending: rounds of RESOLVE_PER_REQUEST contacts at
 * background priority (the gateway's limits keep room for interactive calls), until none is left,
 * HubSpot refuses or fails, or BACKGROUND_MAX_CONTACTS were asked.
 */
export function createSequenceResolver(deps: { db: Queryable; crm: CrmGateway; now: () => number; logger: Logger }): SequenceResolver {
  const running = new Map<string, Promise<void>>();
  async function run(portalId: number, ownerId: string): Promise<void> {
    for (let asked = 0; asked < BACKGROUND_MAX_CONTACTS;) {
      const tasks = await readSequenceTasks(deps.db, portalId, ownerId);
      const stored = await createSequencesRepo(deps.db).enrollments(portalId, [...new Set(tasks.map((t) => t.enrollmentId))]);
      const todo = enrollmentsToResolve(tasks, (id) => stored.has(id), RESOLVE_PER_REQUEST);
      if (todo.length === 0) return;
      const answers = await runWithCallContext({ meter: new RequestMeter(), deadline: Infinity, priority: 'background' }, () =>
        askContacts(deps.crm, portalId, todo),
      );
      await storeAnswers(deps.db, portalId, answers, new Date(deps.now()));
      if (answers.forbidden || answers.failed) return;
      asked += todo.length;
    }
  }
  return {
    kick(portalId, ownerId) {
      const key = `${portalId}:${ownerId}`;
      if (running.has(key)) return;
      const job = run(portalId, ownerId)
        .catch((err: unknown) => deps.logger.warn({ portalId, err }, 'sequence enrollments not resolved in the background'))
        .finally(() => running.delete(key));
      running.set(key, job);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
