-- Contacts' due_at: when their owner was assigned (hubspot_owner_assigneddate), as deals' is their
-- close date and engagements' their time (sync/records.ts COLUMNS). Guided actions read a rep's
-- contacts assigned inside a window (rule 1, copy-query.ts readGuidedActionsBook); read from the
-- property, every contact of the rep had its date string matched by a regular expression and cast
-- (~26 ms of PostgreSQL CPU for the large demo portal's big rep, 7,904 contacts), now an index
-- range (crm_records_by_owner: portal, type, owner, due_at). Nothing else reads contacts' due_at.
--
-- The copy's existing contacts, as records.ts readDate reads the value: epoch milliseconds or an
-- ISO 8601 time (a date alone is midnight UTC); anything else stays null, as it reads as no date.
update crm_records
   set due_at = case
         when properties->>'hubspot_owner_assigneddate' ~ '^\d{1,15}$'
           then to_timestamp((properties->>'hubspot_owner_assigneddate')::bigint / 1000.0)
         when properties->>'hubspot_owner_assigneddate' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$'
           then (properties->>'hubspot_owner_assigneddate')::timestamptz
         when properties->>'hubspot_owner_assigneddate' ~ '^\d{4}-\d{2}-\d{2}$'
           then (properties->>'hubspot_owner_assigneddate' || 'T00:00:00Z')::timestamptz
       end
 where object_type = 'contacts' and coalesce(properties->>'hubspot_owner_assigneddate', '') <> '';
