-- Reading association pairs with half the index probes (issue 11, actions-cold).
--
-- A pair is stored once, in the direction it was read (crm_associations: from → to), so a reader
-- asking for (A, id) → B looked both ways for every id: the primary key (A → B) and the reverse
-- index (B → A). In practice each pair of types is stored one way (the side whose sync object
-- reads the other: engagements → contacts, deals → companies…), so half the probes found nothing.
-- This table names, per portal, the directions that hold at least one pair: readers
-- (copy-query.ts readAssociationPairs) probe only those. It is written in the same statement as
-- the pairs (copy-repo.ts upsertAssociations, the only insert of new directions; a merge re-points
-- pairs in directions already named) and never shrinks: a direction named but empty costs one
-- empty probe, as before.
create table crm_association_directions (
  portal_id bigint not null,
  from_type text not null,
  to_type   text not null,
  primary key (portal_id, from_type, to_type)
);
insert into crm_association_directions (portal_id, from_type, to_type)
  select distinct portal_id, from_type, to_type from crm_associations;

-- The reverse index carries the other end's id, so a reverse probe reads the index only (it
-- fetched every pair's heap row for from_id). Same leading columns: it serves every reader of the
-- one it replaces.
create index crm_associations_reverse_pairs on crm_associations (portal_id, to_type, to_id, from_type, from_id);
drop index crm_associations_reverse;
