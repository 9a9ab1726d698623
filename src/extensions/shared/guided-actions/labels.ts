import type { GuidedActionCategory, GuidedActionFeedback } from '../../api/contract';

export type CategoryFilter = 'all' | GuidedActionCategory;

export const CATEGORY_FILTERS: readonly CategoryFilter[] = ['all', 'deal', 'prospecting'];

export const CATEGORY_LABELS: Record<CategoryFilter, string> = {
  all: 'All',
  deal: 'Deal-related',
  prospecting: 'Prospecting-related',
};

export const FEEDBACK_LABELS: Record<GuidedActionFeedback, string> = {
  YES_CONTINUE: 'Yes, continue',
  NOT_REALLY: 'Not really',
};

export const FEEDBACK_ORDER: readonly GuidedActionFeedback[] = ['YES_CONTINUE', 'NOT_REALLY'];

// What the members of a grouped action are, by object type (rules 7 and 12).
const MEMBER_NOUNS: Record<string, [string, string]> = {
  calls: ['call', 'calls'],
  tasks: ['task', 'tasks'],
  meetings: ['meeting', 'meetings'],
  contacts: ['contact', 'contacts'],
};

/** "3 calls", "1 task", "2 records". */
export function membersTitle(members: readonly { objectType: string }[]): string {
  const types = new Set(members.map((m) => m.objectType));
  const [one, many] = types.size === 1 ? (MEMBER_NOUNS[[...types][0]!] ?? ['record', 'records']) : ['record', 'records'];
  return `${members.length} ${members.length === 1 ? one : many}`;
}

/**
 * The help text: how actions are computed and which facts are approximations of what HubSpot
 * does internally (guided-actions.md "(inferred)" lines, hubspot-crm-data.md §5 and §7).
 */
export const HELP_INTRO =
  'Tiller computes guided actions from your CRM data each time you open this list. They are suggestions, not tasks: nothing is written to HubSpot until you act on one. Actions are sorted with the most urgent first.';

export const HELP_ASSUMPTIONS: readonly string[] = [
  '"HubSpot calling" means the call\'s source is VOIP (HubSpot does not document its call sources).',
  '"Engaged" means at least one of these within the window: an incoming email or reply, a tracked email open or click, a meeting booked, a form submission, or an inbound or connected call.',
  "A meeting's follow-up tasks are inferred: tasks on the same contact or deal, owned by you, created after the meeting ended (HubSpot does not link tasks to meetings).",
  '"Primary recipient" means your address is the first "To" address of the incoming email.',
  '"Prepare for your next meeting" covers your next meeting when it starts within 24 hours.',
  '"Target account activity" needs you to own the contact or its company.',
  '"Re-engaged" means the contact engaged again within 30 days after its last lead was disqualified.',
  'Email opens are tracked by HubSpot and can be missed or over-counted (privacy proxies).',
  'Emails that were not logged in HubSpot are invisible to Tiller.',
];

export const HELP_FEEDBACK =
  'Tell us whether an action helped with "Yes, continue" or "Not really". Your answer is kept for you, this rule and this record; you can change it at any time.';
