-- SW-2 Sequence tasks (issue 16): which sequence each enrollment belongs to. A sequence task
-- carries only its enrollment's id (hs_task_sequence_step_enrollment_id); the public API answers
-- a contact's latest enrollment only (reference hubspot-crm-data.md §3.8). An enrollment never
-- changes sequence, so a row is kept for good. sequence_id null: asked, and the contact's latest
-- enrollment was another one (an older enrollment the API can no longer name).
create table sequence_enrollments (
  portal_id     bigint not null,
  enrollment_id bigint not null,
  sequence_id   bigint,
  contact_id    bigint not null,
  checked_at    timestamptz not null,
  primary key (portal_id, enrollment_id)
);
-- The Actions tab's sequence filter: a sequence's enrollments.
create index sequence_enrollments_by_sequence on sequence_enrollments (portal_id, sequence_id);

-- Sequence names, from the contact enrollment answer and refreshed from the user's sequence list.
create table sequence_names (
  portal_id   bigint not null,
  sequence_id bigint not null,
  name        text not null,
  updated_at  timestamptz not null,
  primary key (portal_id, sequence_id)
);
