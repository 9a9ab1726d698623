-- Two indexes for reading the portal copy (issue 11, guided actions cold).

-- The archived records of a portal's copy, by type and id: readers
-- that leave out pairs with an archived record (copy-query.ts readAssociationPairs) look them up
-- here instead of scanning the portal's records (the planner expects no archived row and, without
-- an index, materialises a scan of the whole table: ~30 ms on the medium demo portal, per query).
-- Archived records are few (deleted or merged), so the index is small.
create index crm_records_archived on crm_records (portal_id, object_type, id) where archived;

-- Live records by status and time: guided actions read the incoming emails addressed to the rep
-- whoever owns them (copy-query.ts readGuidedActionsBook), a tenth of a portal's recent emails;
-- by due_at alone every recent email was read and its properties tested (~48,000 rows for the
-- large demo portal, most of that statement's time).
create index crm_records_by_status on crm_records (portal_id, object_type, status, due_at) where not archived;
