-- The Summary's reports and the dashboards (issue 15 CS-SUM-6, issue 16 CS-DASH-1 / SW-5). Reports
-- are computed from the portal copy; what is stored is each user's choice and each dashboard.

-- Each user's chosen reports (at most five, in order) and links to their reports in HubSpot.
create table summary_report_choices (
  portal_id     bigint not null,
  user_id       bigint not null,
  report_ids    jsonb not null,
  hubspot_links jsonb not null,
  updated_at    timestamptz not null,
  primary key (portal_id, user_id)
);

-- A named set of gallery reports and HubSpot dashboard links, seen by everyone or by chosen teams.
-- access_confirmed_at: when the creator confirmed that those users get view access.
create table dashboards (
  portal_id           bigint not null,
  id                  text not null,
  name                text not null,
  report_ids          jsonb not null,
  hubspot_links       jsonb not null,
  access_kind         text not null check (access_kind in ('everyone', 'teams')),
  team_ids            jsonb not null,
  created_by          bigint not null,
  created_at          timestamptz not null,
  access_confirmed_at timestamptz not null,
  primary key (portal_id, id)
);
create index dashboards_by_creator on dashboards (portal_id, created_by);
