// The Sales tab's sequence cards (SW-2). The UI imports only these types.
import type { Freshness, ObjectRef, PartialResult } from './api';

/**
 * What is known of a card's sequence: `known` (named by HubSpot), `loading` (tasks whose enrollment
 * Tiller has not asked HubSpot about yet; the next loads resolve them) or `unknown` (HubSpot no
 * longer names the enrollment's sequence: its API answers a contact's latest enrollment only).
 */
export type SequenceCardState = 'known' | 'loading' | 'unknown';

export type SequenceTask = {
  id: string;
  subject: string;
  dueAt: string | null;
  overdue: boolean;
  /** hs_task_sequence_step_order: "Step 3". */
  step: number | null;
  /** The enrolled contact. */
  contact: ObjectRef | null;
};

export type SequenceCard = {
  /** The sequence id; null for the `loading` and `unknown` groups. */
  sequenceId: string | null;
  name: string;
  state: SequenceCardState;
  openTasks: number;
  overdueTasks: number;
  /** Open tasks per step, by step ascending (tasks without a step are left out). */
  byStep: { step: number; count: number }[];
  /** The first open tasks (5; with `sequence`, up to 200), soonest due first. */
  tasks: SequenceTask[];
};

/** GET /api/v1/sales/sequences */
export type SequenceCardsResponse = PartialResult &
  Freshness & {
    cards: SequenceCard[];
    /** Cards on every page together. */
    total: number;
    page: number;
    limit: number;
    /** Open sequence tasks of the user on every card (with `sequence`: on that card). */
    openTasks: number;
    /** Enrollments still to be asked about (their tasks are on the `loading` card). */
    pendingEnrollments: number;
    /** Set when the portal did not grant the sequences scope: tasks cannot be grouped by sequence. */
    missingScope?: { scope: string; sentence: string };
  };
