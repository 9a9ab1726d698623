import { z } from 'zod';

// Windows and thresholds the rule book fixes (ages), plus the ones it leaves open
// (marked "inferred" there). Per portal; every field has the spec's default.

export const ENGAGED_SIGNALS = [
  'INCOMING_EMAIL',
  'EMAIL_OPEN',
  'EMAIL_CLICK',
  'MEETING_BOOKED',
  'FORM_SUBMISSION',
  'INBOUND_CALL',
  'CONNECTED_CALL',
] as const;
export type EngagedSignal = (typeof ENGAGED_SIGNALS)[number];

/** HubSpot's default "Connected" call outcome GUID (reference §1.3). */
export const CONNECTED_DISPOSITION_ID = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

const days = (d: number) => z.number().positive().default(d);

export const guidedActionSettingsSchema = z.object({
  /** What counts as "engaged" (inferred in the rule book). */
  engagedSignals: z.array(z.enum(ENGAGED_SIGNALS)).default([...ENGAGED_SIGNALS]),
  /** Call outcomes that count as a connected call for "engaged". */
  connectedCallDispositionIds: z.array(z.string()).default([CONNECTED_DISPOSITION_ID]),
  /** `hs_call_source` values that mean "made with HubSpot calling" (reference §5: VOIP [OBS]). */
  hubspotCallingSources: z.array(z.string()).default(['VOIP']),
  /** `hs_task_status` values that mean done. */
  completedTaskStatuses: z.array(z.string()).default(['COMPLETED']),
  /** `hs_task_priority` values that count as "priority" for rule 12. */
  priorityTaskLevels: z.array(z.string()).default(['HIGH']),
  /** Lead stages that mean "disqualified" (default pipeline: `unqualified-stage-id`). */
  disqualifiedLeadStageIds: z.array(z.string()).default(['unqualified-stage-id']),
  /** Lifecycle stages that end rule 1 when the portal uses HubSpot's default lifecycle. */
  finalLifecycleStages: z.array(z.string()).default(['customer', 'evangelist']),

  newlyAssignedMaxAgeDays: days(30), // rules 1, 2
  reengagementWindowDays: days(30), // rule 3
  emailReplyMaxAgeDays: days(14), // rule 5
  meetingFollowUpWindowDays: days(7), // rule 6
  callOutcomeDelayMinutes: z.number().nonnegative().default(60), // rule 7
  callOutcomeWindowDays: days(7), // rule 7
  awaitingReplyMaxAgeDays: days(14), // rules 8, 10
  replyToEmailMaxAgeDays: days(7), // rule 9
  prepareMeetingWindowHours: days(24), // rule 11 (inferred)
  prepareMeetingGraceMinutes: z.number().nonnegative().default(10), // rule 11
  targetAccountEngagedDays: days(7), // rule 13 (inferred window)
  recentlyEngagedLeadDays: days(7), // rule 14
  nextStepActivityDelayHours: days(24), // rule 15
  dealMinAgeDays: days(7), // rules 16, 17
  dealActionMaxAgeDays: days(7), // rules 16, 17
  buyerNoReplyDays: days(7), // rule 18
  buyerFollowUpMaxAgeDays: days(7), // rule 18
});

export type GuidedActionSettings = z.infer<typeof guidedActionSettingsSchema>;
export type GuidedActionSettingsInput = z.input<typeof guidedActionSettingsSchema>;

export const defaultGuidedActionSettings: GuidedActionSettings = guidedActionSettingsSchema.parse({});
