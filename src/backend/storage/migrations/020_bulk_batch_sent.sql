-- Issue 16: a bulk job's batch is marked sent before its HubSpot call. A batch found pending but
-- sent (the process died during the call) is checked against HubSpot before it is sent again, so
-- tasks the lost call already changed are not changed twice.
alter table bulk_job_items add column sent_at timestamptz;
