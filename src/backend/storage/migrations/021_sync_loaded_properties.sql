-- The properties an object type's copy was loaded with (issue 15: a CSM or renewal-date property
-- newly named in the settings). When the settings ask the copy for a property its last load did not
-- read, the type is loaded again (records upserted, answers kept meanwhile), instead of the new
-- property reaching the copy only as records change. Null: loaded before this column existed; the
-- next load check records the current list without reloading.
alter table sync_state add column loaded_properties text[];
