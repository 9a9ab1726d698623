// The rule book (`shared/spec/guided-actions.md`) as data: the criteria rules share, then one
// file per category of the book.
import type { Rule } from '../rule-definition';
import { addContactToDeal, buyerFollowUp, initialOutreachNeeded, replyToEmail, updateNextSteps } from './deal';
import { logCallOutcome, meetingFollowUp, prepareForMeeting } from './deal-if-open-deal';
import {
  contactAwaitingReply,
  emailReply,
  leadAwaitingReply,
  newlyAssignedContact,
  newlyAssignedLead,
  priorityTasksToday,
  recentlyEngagedLead,
  reengagedContact,
  sequenceActivity,
  targetAccountActivity,
} from './prospecting';

/** All 18 rules, in the rule book's order. */
export const RULES: readonly Rule[] = [
  newlyAssignedContact,
  newlyAssignedLead,
  reengagedContact,
  sequenceActivity,
  emailReply,
  meetingFollowUp,
  logCallOutcome,
  contactAwaitingReply,
  replyToEmail,
  leadAwaitingReply,
  prepareForMeeting,
  priorityTasksToday,
  targetAccountActivity,
  recentlyEngagedLead,
  updateNextSteps,
  addContactToDeal,
  initialOutreachNeeded,
  buyerFollowUp,
];
