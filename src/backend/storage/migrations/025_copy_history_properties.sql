-- The properties whose history the copy keeps for a portal beyond the fixed TRACKED_HISTORY
-- (issue 11 item 6: a health profile's backfill reads each criterion's property as it was on the
-- day it scores). Named per portal and object type when a backfill first needs one, before its
-- history is read from HubSpot: from then on every change the copy applies to it is recorded in
-- crm_property_history (source 'copy'), so what was read once stays complete and a later backfill
-- reads nothing again. Which records' history was read from HubSpot shows in crm_property_history
-- itself (a row with source 'hubspot…'; a record whose property was never set gets one null row at
-- the epoch). Never shrinks: a property a profile stops reading is still cheap to track.
create table crm_history_properties (
  portal_id     bigint not null,
  object_type   text not null,
  property      text not null,
  tracked_since timestamptz not null,
  primary key (portal_id, object_type, property)
);
