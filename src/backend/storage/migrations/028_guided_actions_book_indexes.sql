-- Ways into a rep's book for the guided-actions criteria that read a property, not a typed column
-- (issue 11, actions-cold; copy-query.ts readGuidedActionsBook).
--
-- Those criteria were checked on every record of the rep's type: the large demo portal's big rep
-- had 7,904 contacts read to keep 45 disqualified ones (beside those assigned in the window, an
-- index range), 3,133 companies for 162 target accounts, 8,342 tasks for 1,207 sequence tasks
-- (beside the priority tasks due today, an index range). Each partial index holds only the
-- records one alternative of the criteria can keep, portal first like every key of the copy.
create index crm_records_disqualified on crm_records (portal_id, owner_id)
  where object_type = 'contacts' and not archived and coalesce(properties->>'hs_latest_disqualified_lead_date', '') <> '';
create index crm_records_target_accounts on crm_records (portal_id, owner_id)
  where object_type = 'companies' and not archived and properties->>'hs_is_target_account' = 'true';
create index crm_records_sequence_tasks on crm_records (portal_id, owner_id)
  where object_type = 'tasks' and not archived and coalesce(properties->>'hs_task_sequence_step_order', '') <> '';

-- PostgreSQL keeps no statistics on a property's value, so it priced `coalesce(...) <> ''` as
-- true for almost every row and preferred the owner index (every record of the rep) to the
-- partial ones. Statistics on the two expressions tell it how rare a set value is. (The target
-- account test is an equality: its default estimate is already small.)
create statistics crm_records_disqualified_date on (coalesce(properties->>'hs_latest_disqualified_lead_date', '')) from crm_records;
create statistics crm_records_sequence_step on (coalesce(properties->>'hs_task_sequence_step_order', '')) from crm_records;
