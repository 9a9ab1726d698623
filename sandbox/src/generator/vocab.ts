// Fixed vocabularies: names, HubSpot ids and values (reference: /work/shared/reference/hubspot-crm-data.md).

export const GUIDED_ACTION_RULES = [
  'NEWLY_ASSIGNED_CONTACT',
  'NEWLY_ASSIGNED_LEAD',
  'REENGAGED_CONTACT',
  'SEQUENCE_ACTIVITY',
  'EMAIL_REPLY',
  'MEETING_FOLLOW_UP',
  'LOG_CALL_OUTCOME',
  'CONTACT_AWAITING_REPLY',
  'REPLY_TO_EMAIL',
  'LEAD_AWAITING_REPLY',
  'PREPARE_FOR_MEETING',
  'PRIORITY_TASKS_TODAY',
  'TARGET_ACCOUNT_ACTIVITY',
  'RECENTLY_ENGAGED_LEAD',
  'UPDATE_NEXT_STEPS',
  'ADD_CONTACT_TO_DEAL',
  'INITIAL_OUTREACH_NEEDED',
  'BUYER_FOLLOW_UP',
] as const;
export type GuidedActionRule = (typeof GUIDED_ACTION_RULES)[number];

/** §1.3 default call outcomes (hs_call_disposition GUIDs) */
export const DISPOSITION = {
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  leftLiveMessage: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  leftVoicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  noAnswer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrongNumber: '17b47fee-58de-441e-a44c-c6300d46f273',
} as const;
/** one portal-specific outcome, declared in fixture.callDispositions */
export const CUSTOM_DISPOSITION = { id: '5d3e1c8a-2f47-4b8e-9c61-0a7b4e2d9f13', label: 'Meeting booked' } as const;

/** HubSpot's default deal pipeline (§2.3) */
export const DEAL_STAGES = [
  { id: 'appointmentscheduled', label: 'Appointment scheduled', probability: '0.2', closed: false },
  { id: 'qualifiedtobuy', label: 'Qualified to buy', probability: '0.4', closed: false },
  { id: 'presentationscheduled', label: 'Presentation scheduled', probability: '0.6', closed: false },
  { id: 'decisionmakerboughtin', label: 'Decision maker bought-in', probability: '0.8', closed: false },
  { id: 'contractsent', label: 'Contract sent', probability: '0.9', closed: false },
  { id: 'closedwon', label: 'Closed won', probability: '1.0', closed: true },
  { id: 'closedlost', label: 'Closed lost', probability: '0.0', closed: true },
] as const;
export type DealStage = (typeof DEAL_STAGES)[number]['id'];
export const OPEN_DEAL_STAGES: DealStage[] = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent'];

/** HubSpot's default lead pipeline (§2.4) */
export const LEAD_PIPELINE = 'lead-pipeline-id';
export const LEAD_STAGES = [
  { id: 'new-stage-id', label: 'New', closed: false },
  { id: 'attempting-stage-id', label: 'Attempting', closed: false },
  { id: 'connected-stage-id', label: 'Connected', closed: false },
  { id: 'qualified-stage-id', label: 'Qualified', closed: true },
  { id: 'unqualified-stage-id', label: 'Disqualified', closed: true },
] as const;
export type LeadStage = (typeof LEAD_STAGES)[number]['id'];

/** HubSpot's default ticket pipeline */
export const TICKET_STAGES = [
  { id: '1', label: 'New', state: 'OPEN' },
  { id: '2', label: 'Waiting on contact', state: 'OPEN' },
  { id: '3', label: 'Waiting on us', state: 'OPEN' },
  { id: '4', label: 'Closed', state: 'CLOSED' },
] as const;

/** option values as in the sandbox catalog (HubSpot labels: Positive, Neutral, Negative) */
export const CSM_SENTIMENT = ['Positive', 'Neutral', 'Negative'] as const;

export const FIRST_NAMES = [
  'Emma', 'Louis', 'Chloé', 'Noah', 'Léa', 'Liam', 'Olivia', 'Lucas', 'Ava', 'Ethan', 'Mia', 'Mateo', 'Sofia',
  'Gabriel', 'Amelia', 'Arthur', 'Isla', 'Jules', 'Harper', 'Adam', 'Zoé', 'Hugo', 'Nora', 'Léo', 'Elena', 'Oscar',
  'Aria', 'Raphaël', 'Maya', 'Samuel', 'Chiara', 'Tomás', 'Ingrid', 'Kenji', 'Priya', 'Omar', 'Fatima', 'Wei',
  'Aiko', 'Diego', 'Lucía', 'Sven', 'Freya', 'Mateus', 'Ana', 'Rohan', 'Anika', 'Tane', 'Mere', 'Jack', 'Grace',
  'Daniel', 'Hannah', 'Felix', 'Clara', 'Victor', 'Alice', 'Theo', 'Julia', 'Marcus', 'Nina', 'Paul', 'Rosa',
] as const;
export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
  'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis',
  'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young',
  'King', 'Wright', 'Scott', 'Nguyen', 'Kim', 'Park', 'Tanaka', 'Sato', 'Müller', 'Schmidt', 'Rossi', 'Russo',
  'Silva', 'Santos', 'Kowalski', 'Novak', 'Larsen', 'Hansen', 'Patel', 'Singh', 'Cohen', 'Levi', 'Walsh',
  'Murphy', 'Kelly', 'Te Rangi', 'Parata', 'Fischer', 'Weber', 'Costa', 'Ferreira',
] as const;

export const COMPANY_WORDS_A = [
  'Blue', 'North', 'Bright', 'Silver', 'Red', 'Green', 'Swift', 'Iron', 'Clear', 'Golden', 'Urban', 'Alpine',
  'Coastal', 'Prime', 'Nova', 'Vertex', 'Summit', 'Harbor', 'Cedar', 'Maple', 'Orbit', 'Pixel', 'Quantum', 'Rapid',
  'Solar', 'Terra', 'Union', 'Velvet', 'Wild', 'Zen', 'Atlas', 'Beacon', 'Crystal', 'Delta', 'Ember', 'Falcon',
] as const;
export const COMPANY_WORDS_B = [
  'Logistics', 'Labs', 'Foods', 'Analytics', 'Systems', 'Health', 'Energy', 'Capital', 'Studio', 'Works', 'Retail',
  'Robotics', 'Media', 'Software', 'Freight', 'Pharma', 'Textiles', 'Motors', 'Bakery', 'Insurance', 'Travel',
  'Security', 'Networks', 'Foundry', 'Outdoors', 'Partners', 'Clinics', 'Learning', 'Games', 'Farms',
] as const;
export const COMPANY_SUFFIX = ['', '', '', ' Inc', ' Ltd', ' SAS', ' GmbH', ' Co', ' Group', ' Holdings'] as const;
export const INDUSTRIES = [
  'COMPUTER_SOFTWARE', 'HOSPITAL_HEALTH_CARE', 'LOGISTICS_AND_SUPPLY_CHAIN', 'RETAIL', 'FINANCIAL_SERVICES',
  'MARKETING_AND_ADVERTISING', 'FOOD_BEVERAGES', 'AUTOMOTIVE', 'EDUCATION_MANAGEMENT', 'RENEWABLES_ENVIRONMENT',
] as const;
export const CITIES = [
  ['Paris', 'France'], ['Lyon', 'France'], ['Berlin', 'Germany'], ['London', 'United Kingdom'], ['Madrid', 'Spain'],
  ['San Francisco', 'United States'], ['Seattle', 'United States'], ['Austin', 'United States'], ['Toronto', 'Canada'],
  ['Auckland', 'New Zealand'], ['Wellington', 'New Zealand'], ['Sydney', 'Australia'], ['Milan', 'Italy'],
  ['Amsterdam', 'Netherlands'], ['Lisbon', 'Portugal'], ['Tokyo', 'Japan'],
] as const;
export const JOB_TITLES = [
  'CEO', 'CTO', 'COO', 'Head of Operations', 'VP Sales', 'Procurement Manager', 'IT Director', 'Marketing Manager',
  'Customer Success Lead', 'Finance Director', 'Office Manager', 'Product Manager', 'Engineer', 'Buyer', 'Analyst',
] as const;
export const FREEMAIL_DOMAINS = ['mailbox.example', 'inbox.example', 'post.example'] as const;

export const CONTACT_STAGES = ['subscriber', 'lead', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'opportunity', 'other'] as const;

export const TASK_SUBJECTS = {
  TODO: ['Prepare QBR deck', 'Update account plan', 'Review contract terms', 'Send onboarding checklist', 'Check renewal paperwork', 'Log feedback from workshop', 'Follow up on invoice', 'Plan expansion workshop'],
  CALL: ['Call to confirm requirements', 'Check-in call', 'Renewal call', 'Discovery call follow-up', 'Call about support ticket', 'Call back re: pricing'],
  EMAIL: ['Send proposal', 'Email case study', 'Send meeting recap', 'Share pricing sheet', 'Email product update', 'Send intro to specialist'],
  LINKED_IN_CONNECT: ['Connect on LinkedIn'],
  LINKED_IN_MESSAGE: ['Message on LinkedIn'],
} as const;
export const EMAIL_SUBJECTS = [
  'Quick question about your rollout', 'Following up on our call', 'Proposal for the next quarter', 'Your renewal',
  'Case study you asked for', 'Next steps', 'Pricing options', 'Agenda for Thursday', 'Onboarding resources',
  'Checking in', 'Product update: new reporting', 'Introduction', 'Contract draft', 'Thanks for your time',
] as const;
export const EMAIL_BODIES = [
  'Hi, following up on our last conversation. Let me know what works for you.',
  'Thanks for the call today. As promised, here is a summary and the next steps.',
  'Attached is the proposal we discussed. Happy to walk you through it.',
  'Just checking in to see whether you had a chance to review the document.',
] as const;
export const REPLY_BODIES = [
  'Thanks, this looks good. Can we talk next week?',
  'Could you send the pricing for 50 seats?',
  'We are reviewing internally, I will come back to you shortly.',
  'Sounds good, please send the contract.',
] as const;
export const MEETING_TITLES = ['Discovery call', 'Product demo', 'Quarterly business review', 'Onboarding session', 'Renewal discussion', 'Technical deep dive', 'Kick-off', 'Pricing review'] as const;
export const NOTE_BODIES = [
  'Customer mentioned budget freeze until next quarter.',
  'Champion is moving to another team; need a new sponsor.',
  'Very happy with the latest release, wants a case study.',
  'Asked about SSO and audit logs.',
  'Competitor evaluation in progress.',
  'Agreed on a pilot with 20 users.',
] as const;
export const TICKET_SUBJECTS = ['Cannot export report', 'SSO login fails', 'Invoice discrepancy', 'Sync delay with ERP', 'Feature request: bulk edit', 'Data import error', 'Slow dashboard', 'User cannot reset password'] as const;
export const NEXT_STEPS = ['Send pricing proposal', 'Schedule technical demo', 'Get legal review', 'Confirm budget with CFO', 'Intro to procurement', 'Share security questionnaire', 'Book kick-off', 'Align on success criteria'] as const;
