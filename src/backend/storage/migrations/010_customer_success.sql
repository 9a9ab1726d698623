-- Customer Success settings and the object workspaces (issue 15: CS-SET-1, CS-CUS-1..3).

-- Every change of a settings section: who changed it, when, and the value before and after.
create table settings_history (
  portal_id  bigint not null,
  key        text not null,
  changed_at timestamptz not null,
  user_id    bigint not null,
  before     jsonb,
  after      jsonb not null,
  seq        bigserial,
  primary key (portal_id, key, seq)
);

-- Custom views of an object workspace (customers, services, revenue): private to their creator or
-- shared with everyone. Built-in views are code, not rows.
create table workspace_views (
  portal_id     bigint not null,
  workspace     text not null,
  id            text not null,
  owner_user_id bigint not null,
  name          text not null,
  sharing       text not null check (sharing in ('private', 'everyone')),
  query         jsonb not null,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  primary key (portal_id, workspace, id)
);
create index workspace_views_by_owner on workspace_views (portal_id, workspace, owner_user_id);

-- When the CSM property of a customer record was last set, as the copy saw it change. HubSpot's
-- property history is not in the copy (it keeps current values only), so this trigger records each
-- change of the configured CSM property as it lands: assigned_at = the record's last modification,
-- the change's own time when the change is the newest one. A value first seen on insert (the first
-- load) has no known assignment time: no row.
create table crm_csm_assignments (
  portal_id   bigint not null,
  object_type text not null,
  id          bigint not null,
  property    text not null,
  value       text,
  assigned_at timestamptz not null,
  primary key (portal_id, object_type, id)
);

create function capture_csm_assignment() returns trigger language plpgsql as $$
declare
  chosen jsonb;
  prop text;
  new_value text;
begin
  select value into chosen from portal_settings where portal_id = new.portal_id and key = 'cs.customers';
  if new.object_type <> coalesce(chosen->>'objectType', 'companies') then
    return new;
  end if;
  prop := coalesce(chosen->>'csmProperty', 'hubspot_owner_id');
  new_value := nullif(new.properties->>prop, '');
  if nullif(old.properties->>prop, '') is distinct from new_value then
    insert into crm_csm_assignments (portal_id, object_type, id, property, value, assigned_at)
    values (new.portal_id, new.object_type, new.id, prop, new_value, coalesce(new.modified_at, new.synced_at))
    on conflict (portal_id, object_type, id) do update
      set property = excluded.property, value = excluded.value, assigned_at = excluded.assigned_at;
  end if;
  return new;
end
$$;

-- Only objects that can hold customers, and only rows whose properties changed: the bulk of the
-- copy (tasks, engagements) and unchanged re-reads never run the function.
create trigger crm_records_csm_assignment after update of properties on crm_records
  for each row
  when ((new.object_type in ('companies', 'contacts') or new.object_type like '2-%') and old.properties is distinct from new.properties)
  execute function capture_csm_assignment();
