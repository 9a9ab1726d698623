-- Services and Revenue workspaces (issue 15: CS-SET-2/3, CS-SRV-1, CS-REV-1): "Assigned in the last
-- 30 days" for any CSM property of their objects too. Migration 010's trigger recorded changes of
-- the customer object's CSM property only; it now records the CSM property configured for the
-- record's object in the customers, services (cs.services) or revenue (cs.revenue.objects[])
-- settings, the customers' first when one object is configured twice. hubspot_owner_id needs no
-- row (HubSpot's hubspot_owner_assigneddate says when), but recording it is harmless.

create or replace function capture_csm_assignment() returns trigger language plpgsql as $$
declare
  customers jsonb;
  services jsonb;
  revenue jsonb;
  prop text;
  new_value text;
begin
  select value into customers from portal_settings where portal_id = new.portal_id and key = 'cs.customers';
  if new.object_type = coalesce(customers->>'objectType', 'companies') then
    prop := coalesce(customers->>'csmProperty', 'hubspot_owner_id');
  else
    select value into services from portal_settings where portal_id = new.portal_id and key = 'cs.services';
    if new.object_type = coalesce(services->>'objectType', '0-162') then
      prop := coalesce(services->>'csmProperty', 'hubspot_owner_id');
    else
      select value into revenue from portal_settings where portal_id = new.portal_id and key = 'cs.revenue';
      if revenue is null then
        if new.object_type = 'deals' then
          prop := 'hubspot_owner_id';
        end if;
      else
        select o->>'csmProperty' into prop from jsonb_array_elements(revenue->'objects') o
          where o->>'objectType' = new.object_type limit 1;
      end if;
    end if;
  end if;
  if prop is null then
    return new;
  end if;
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

-- The objects the three workspaces can show: customers (companies, contacts, custom), services
-- (0-162, custom) and revenue (deals, custom). Tasks and engagements still never run the function.
drop trigger crm_records_csm_assignment on crm_records;
create trigger crm_records_csm_assignment after update of properties on crm_records
  for each row
  when ((new.object_type in ('companies', 'contacts', '0-162', 'deals') or new.object_type like '2-%')
        and old.properties is distinct from new.properties)
  execute function capture_csm_assignment();
