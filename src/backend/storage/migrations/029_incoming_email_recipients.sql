-- The incoming emails addressed to a rep, found without reading the heap (issue 11, actions-cold;
-- copy-query.ts readGuidedActionsBook).
--
-- Guided actions read the incoming emails addressed to the rep whoever owns them: the test is on
-- `hs_email_to_email`, a property, so PostgreSQL read every incoming email of the portal in the
-- window to check it. For the large demo portal's big rep that was ~6,900 emails on ~5,200 heap
-- pages to keep one, most of them outside the shared buffers on a running instance (~25 ms of
-- PostgreSQL's CPU in a cold request). The recipients, lowercased, are kept in a column PostgreSQL
-- computes on every write (nothing in the sync changes), and a partial index of the incoming emails
-- carries them with the owner: the test runs on the index alone (an index-only scan once the table
-- is vacuumed), and only the emails kept are read from the heap. Null for every other record.
alter table crm_records add column email_to text
  generated always as (case when object_type = 'emails' then lower(properties->>'hs_email_to_email') end) stored;

create index crm_records_incoming_to on crm_records (portal_id, due_at) include (owner_id, email_to, id)
  where object_type = 'emails' and status = 'INCOMING_EMAIL' and not archived;
