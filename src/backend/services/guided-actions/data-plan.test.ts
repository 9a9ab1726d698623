// The data plan against the sandbox on portals written by hand: what the rules need is read,
// whichever records HubSpot associated it with (issue 13's outside scenarios).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { defaultGuidedActionSettings, evaluateGuidedActions } from '../../engines/guided-actions';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { loadGuidedActionsInput } from './data-plan';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const D = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const REP_USER = 9001;

const email = (id: string, sentAt: number, p: Record<string, string>) => ({
  id,
  properties: { hs_timestamp: at(sentAt), hs_email_subject: `Email ${id}`, hs_email_status: 'SENT', ...p },
});
/** From the rep (owner 501) to `to`. */
const outgoing = (id: string, sentAt: number, to: string, p: Record<string, string> = {}) =>
  email(id, sentAt, {
    hs_email_direction: 'EMAIL',
    hubspot_owner_id: '501',
    hs_email_from_email: 'ada@acme.example',
    hs_email_to_email: to,
    ...p,
  });
/** From `from` to the rep, the rep first recipient. */
const incoming = (id: string, sentAt: number, from: string) =>
  email(id, sentAt, {
    hs_email_direction: 'INCOMING_EMAIL',
    hubspot_owner_id: '501',
    hs_email_from_email: from,
    hs_email_to_email: 'ada@acme.example',
  });

const fixture = {
  portal: { id: 813, timeZone: 'Europe/Paris', domain: 'acme.example', accessToken: 'plan-token' },
  users: [
    { id: String(REP_USER), email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', superAdmin: false, timeZone: 'Europe/Paris' },
    { id: '9002', email: 'max@acme.example', firstName: 'Max', lastName: 'Other', superAdmin: false, timeZone: 'Europe/Paris' },
  ],
  owners: [
    { id: '501', userId: REP_USER, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep' },
    { id: '502', userId: 9002, email: 'max@acme.example', firstName: 'Max', lastName: 'Other' },
  ],
  objects: {
    contacts: [
      {
        id: '1',
        properties: {
          firstname: 'Bo',
          lastname: 'Buyer',
          email: 'bo@client.example',
          hubspot_owner_id: '502',
          lifecyclestage: 'opportunity',
        },
      },
      {
        id: '3',
        properties: { firstname: 'Dan', lastname: 'Writer', email: 'dan@other.example', hubspot_owner_id: '502', lifecyclestage: 'lead' },
      },
    ],
    deals: [
      {
        id: '7',
        properties: {
          dealname: 'Bo renewal',
          hubspot_owner_id: '501',
          dealstage: 'qualifiedtobuy',
          pipeline: 'default',
          createdate: at(NOW - 30 * D),
        },
      },
    ],
    emails: [
      // Sent from Bo's contact record 10 days ago: associated with the contact only; opened twice, no reply.
      outgoing('30', NOW - 10 * D, 'bo@client.example', { hs_email_open_count: '2', hs_email_reply_count: '0' }),
      // Dan wrote 25 days ago, you answered 20 days ago, Dan wrote again 5 days ago.
      incoming('50', NOW - 25 * D, 'dan@other.example'),
      outgoing('51', NOW - 20 * D, 'dan@other.example'),
      incoming('52', NOW - 5 * D, 'dan@other.example'),
    ],
  },
  associations: [
    { from: 'deals/7', to: 'contacts/1' },
    { from: 'emails/30', to: 'contacts/1' },
    ...['50', '51', '52'].map((e) => ({ from: `emails/${e}`, to: 'contacts/3' })),
  ],
} as Fixture;

let sandbox: Sandbox;
let crm: CrmGateway;

beforeAll(async () => {
  // No fixed clock for the sandbox: its rate limits count in real time.
  sandbox = await startSandbox({ port: 0, fixtures: [fixture] });
  crm = createCrmGateway({ basePath: sandbox.url, tokens: { accessToken: async () => 'plan-token' } });
});

afterAll(async () => {
  await crm?.close();
  await sandbox?.close();
});

async function actions() {
  const plan = await loadGuidedActionsInput(crm.portal(813), { userId: REP_USER, now: NOW, settings: defaultGuidedActionSettings });
  if (plan.kind !== 'ok') throw new Error(plan.kind);
  expect(plan.warnings).toEqual([]);
  return evaluateGuidedActions(plan.input, NOW).actions;
}

describe('guided-actions data plan (outside scenarios)', () => {
  it('Buyer follow-up: an email that is not associated with the deal (only with its contact) is read', async () => {
    const buyer = (await actions()).filter((a) => a.rule === 'BUYER_FOLLOW_UP');
    expect(buyer).toHaveLength(1);
    // It turned 7 days unanswered 3 days ago.
    expect(buyer[0]).toMatchObject({ recordKey: 'deals:7', firstSeenAt: at(NOW - 3 * D) });
    expect(buyer[0]!.facts).toMatchObject({ buyerContactId: '1', openedEmailId: '30', openCount: 2 });
  });

  it("Contacts awaiting your reply: your email older than 14 days between two of the contact's emails is read, so the newer one is the reply", async () => {
    const awaiting = (await actions()).filter((a) => a.rule === 'CONTACT_AWAITING_REPLY' && a.recordKey === 'contacts:3');
    expect(awaiting).toHaveLength(1);
    expect(awaiting[0]).toMatchObject({ firstSeenAt: at(NOW - 5 * D) });
    expect(awaiting[0]!.facts).toMatchObject({ replyEmailId: '52', yourLastEmailAt: at(NOW - 20 * D) });
  });
});
