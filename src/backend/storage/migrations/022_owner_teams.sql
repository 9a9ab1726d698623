-- The owners' teams (the owners API's teams[]), so who sees a dashboard shared with teams
-- (CS-DASH-1, SW-5) is answered from the copy like everything else, instead of a HubSpot call.
alter table crm_owners add column teams jsonb not null default '[]';
