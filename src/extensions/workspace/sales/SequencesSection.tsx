import { useState } from 'react';
import { Button, ButtonRow, Flex, Heading, StatusTag, Tag, Text, Tile } from '@hubspot/ui-extensions';
import type { SequenceCard, SequenceTask } from '../../api/contract';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import type { WorkspaceTabProps } from '../tabs';

/** Cards shown at a time; left / right page through the rest. */
export const CARDS_PER_PAGE = 2;

function due(task: SequenceTask): string {
  if (!task.dueAt) return 'No due date';
  return new Date(task.dueAt).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

function TaskLine({ task }: { task: SequenceTask }) {
  const step = task.step === null ? 'Step ?' : `Step ${task.step}`;
  const contact = task.contact ? ` · ${task.contact.label}` : '';
  return (
    <Flex direction="row" gap="small" align="center">
      <Tag variant="info">{step}</Tag>
      <Text testId={`sequence-task-${task.id}`}>{`${task.subject}${contact} · ${task.overdue ? 'overdue, ' : ''}due ${due(task)}`}</Text>
    </Flex>
  );
}

/** Every task of one card ("all tasks in sequence"), loaded when asked for. */
function AllTasks({ card }: { card: SequenceCard }) {
  const all = useBackend('/api/v1/sales/sequences', { sequence: card.sequenceId ?? card.state });
  return (
    <BackendView
      state={all}
      loading="Loading every task of this sequence"
      failed="The sequence's tasks could not be loaded"
      retryTestId="retry-sequence-all"
    >
      {(data) => (
        <Flex direction="column" gap="extra-small">
          {(data.cards[0]?.tasks ?? []).map((t) => (
            <TaskLine key={t.id} task={t} />
          ))}
        </Flex>
      )}
    </BackendView>
  );
}

function Card({ card, open, reload }: { card: SequenceCard; reload: () => void } & Pick<WorkspaceTabProps, 'open'>) {
  const [showAll, setShowAll] = useState(false);
  const key = card.sequenceId ?? card.state;
  return (
    <Tile compact testId={`sequence-card-${key}`}>
      <Flex direction="column" gap="small">
        <Flex direction="row" gap="small" align="center" wrap="wrap">
          <Text format={{ fontWeight: 'demibold' }}>{card.name}</Text>
          <Text testId={`sequence-count-${key}`}>{`${card.openTasks} open task${card.openTasks === 1 ? '' : 's'}`}</Text>
          {card.overdueTasks > 0 ? <StatusTag variant="danger">{`${card.overdueTasks} overdue`}</StatusTag> : null}
        </Flex>
        {card.state === 'loading' ? (
          <Flex direction="row" gap="small" align="center">
            <Text variant="microcopy">Tiller is asking HubSpot which sequence these tasks belong to, in the background.</Text>
            <Button size="sm" testId="sequences-check-again" onClick={reload}>
              Check again
            </Button>
          </Flex>
        ) : card.state === 'unknown' ? (
          <Text variant="microcopy">
            HubSpot no longer says which sequence these tasks came from (the contact was enrolled again since).
          </Text>
        ) : null}
        {card.byStep.length > 0 ? (
          <Text testId={`sequence-steps-${key}`}>{card.byStep.map((s) => `Step ${s.step}: ${s.count}`).join(' · ')}</Text>
        ) : null}
        {showAll ? (
          <AllTasks card={card} />
        ) : (
          <Flex direction="column" gap="extra-small">
            {card.tasks.map((t) => (
              <TaskLine key={t.id} task={t} />
            ))}
          </Flex>
        )}
        <ButtonRow>
          <Button size="sm" testId={`sequence-all-${key}`} onClick={() => setShowAll((v) => !v)}>
            {showAll ? 'Show the first tasks only' : `All tasks in sequence (${card.openTasks})`}
          </Button>
          {open && card.sequenceId ? (
            <Button
              size="sm"
              testId={`sequence-actions-${key}`}
              onClick={() =>
                open('actions', {
                  view: card.overdueTasks > 0 ? 'overdue' : 'due-today',
                  sequenceId: card.sequenceId!,
                  sequenceName: card.name,
                })
              }
            >
              Work them in Actions
            </Button>
          ) : null}
        </ButtonRow>
      </Flex>
    </Tile>
  );
}

/**
 * SW-2: one card per sequence that has open tasks of the user, with each task's step and the
 * counts per step; cards page left / right; "all tasks in sequence" opens the card's every task.
 */
export function SequencesSection({ open }: Pick<WorkspaceTabProps, 'open'> = {}) {
  const [page, setPage] = useState(0);
  const state = useBackend('/api/v1/sales/sequences', { page, limit: CARDS_PER_PAGE });
  return (
    <Flex direction="column" gap="small" testId="sales-sequences">
      <Heading>Sequences</Heading>
      <BackendView
        state={state}
        loading="Loading your sequence tasks"
        failed="Your sequence tasks could not be loaded"
        retryTestId="retry-sequences"
        partial="Some sequence tasks are not matched to their sequence yet"
        partialTestId="sequences-partial"
        isEmpty={(data) => data.total === 0 && !data.missingScope}
        empty={<Text testId="sequences-empty">No open sequence tasks are assigned to you.</Text>}
      >
        {(data) => {
          const pages = Math.max(1, Math.ceil(data.total / data.limit));
          return (
            <Flex direction="column" gap="small">
              <Text testId="sequences-summary">{`${data.openTasks} open sequence task${data.openTasks === 1 ? '' : 's'} in ${data.total} card${data.total === 1 ? '' : 's'}`}</Text>
              {data.cards.map((c) => (
                <Card key={`${c.sequenceId ?? c.state}`} card={c} open={open} reload={state.reload} />
              ))}
              {pages > 1 ? (
                <ButtonRow>
                  <Button size="sm" testId="sequences-previous" disabled={page === 0} onClick={() => setPage((p) => Math.max(0, p - 1))}>
                    ← Previous
                  </Button>
                  <Text testId="sequences-page">{`${Math.min(page + 1, pages)} of ${pages}`}</Text>
                  <Button size="sm" testId="sequences-next" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
                    Next →
                  </Button>
                </ButtonRow>
              ) : null}
            </Flex>
          );
        }}
      </BackendView>
    </Flex>
  );
}
