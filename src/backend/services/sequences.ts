import type { SequenceCardsResponse } from '../contract/sequences';
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

/**
 * SW-2: the user's open sequence tasks from the portal copy, one card per sequence. The sequence of
 * an enrollment comes from the stored mapping (migration 017); enrollments never asked about are
 * asked now, within RESOLVE_PER_REQUEST contacts.
 */
export async function getSequenceCards(
  db: Queryable,
  crm: CrmGateway,
  portalId: number,
  input: { userId: number; page: number; limit: number; now: number; sequence?: string },
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

  const records = await readOpenSequenceTasks(db, portalId, { ownerId: owner.id, completedStatuses: ['COMPLETED'] });
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

  const tasks: (SequenceTaskInput & { contactId: string | null })[] = records.map((r) => {
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

  const enrollmentIds = [...new Set(tasks.map((t) => t.enrollmentId))];
  const stored = await repo.enrollments(portalId, enrollmentIds);
  const warnings: string[] = [];
  let missingScope: SequenceCardsResponse['missingScope'];
  const scopeDeclined = install !== undefined && !install.scopes.includes(SCOPE);
  if (scopeDeclined) missingScope = { scope: SCOPE, sentence: OPTIONAL_SCOPES[SCOPE] };

  // Ask HubSpot about enrollments never asked about, one contact per call.
  const todo = scopeDeclined ? [] : enrollmentsToResolve(tasks, (id) => stored.has(id), RESOLVE_PER_REQUEST);
  let hubspotFailed = false;
  const names = new Map<string, string>();
  const crmPortal = crm.portal(portalId);
  const answers = await Promise.all(
    todo.map(async ({ contactId, enrollmentIds: ids }) => {
      try {
        const latest = await crmPortal.contactEnrollment(contactId);
        if (latest) names.set(latest.sequenceId, latest.sequenceName);
        const rows: StoredEnrollment[] = ids.map((id) => ({
          enrollmentId: id,
          contactId,
          sequenceId: latest?.id === id ? latest.sequenceId : null,
        }));
        // The latest enrollment is worth keeping even when no open task names it (yet).
        if (latest && !ids.includes(latest.id)) rows.push({ enrollmentId: latest.id, contactId, sequenceId: latest.sequenceId });
        return rows;
      } catch (err) {
        if (err instanceof CrmError && err.kind === 'forbidden') missingScope = { scope: SCOPE, sentence: OPTIONAL_SCOPES[SCOPE] };
        else hubspotFailed = true;
        return [];
      }
    }),
  );
  const asked = answers.flat();
  const at = new Date(now);
  await repo.putEnrollments(portalId, asked, at);
  await repo.putNames(
    portalId,
    [...names].filter(([, name]) => name).map(([sequenceId, name]) => ({ sequenceId, name })),
    at,
  );
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
  if (pending > 0 && !missingScope)
    warnings.push(
      `${pending} enrollment${pending === 1 ? ' is' : 's are'} still being matched to ${pending === 1 ? 'its' : 'their'} sequence; their tasks are on the "Sequence (loading)" card until then.`,
    );
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
