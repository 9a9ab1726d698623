import { useState } from 'react';
import { Accordion, Button, ButtonRow, Dropdown, EmptyState, Flex, Link, List, Tag, Text, Tile, logger } from '@hubspot/ui-extensions';
import type { GuidedAction, GuidedActionFeedback, ObjectRef } from '../../api/contract';
import { feedbackPath } from '../../api/endpoints';
import { useBackendCall, useViewAs } from '../../api/useBackend';
import { recordUrl } from '../recordUrl';
import {
  CATEGORY_FILTERS,
  CATEGORY_LABELS,
  FEEDBACK_LABELS,
  FEEDBACK_ORDER,
  HELP_ASSUMPTIONS,
  HELP_FEEDBACK,
  HELP_INTRO,
  membersTitle,
  type CategoryFilter,
} from './labels';

function RecordLink({ record, portalId }: { record: ObjectRef; portalId: number }) {
  const href = recordUrl(portalId, record);
  const label = record.label.trim() || `Record ${record.objectId}`;
  return href ? <Link href={href}>{label}</Link> : <Text inline>{label}</Text>;
}

/** The feedback menu; shows the answer given. Optimistic: the answer shows at once and is taken back if saving fails. */
function FeedbackMenu({ action }: { action: GuidedAction }) {
  const viewingAs = useViewAs();
  const call = useBackendCall();
  const [answer, setAnswer] = useState<GuidedActionFeedback | null>(action.feedback);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const give = async (next: GuidedActionFeedback) => {
    const previous = answer;
    setAnswer(next);
    setFailure(null);
    setSaving(true);
    const result = await call('POST', feedbackPath(action.id), { answer: next });
    setSaving(false);
    if (!result.ok) {
      logger.warn(`Guided action feedback not saved for ${action.id}: ${result.error.code}`);
      setAnswer(previous);
      setFailure(`Your answer was not saved. ${result.error.message}`);
    }
  };

  // Answers are the rep's own (stored per rep, rule and record): a manager viewing as the rep only sees them.
  if (viewingAs !== null) {
    return (
      <Text variant="microcopy" testId={`feedback-view-${action.id}`}>
        {answer ? `The rep's answer: ${FEEDBACK_LABELS[answer]}` : 'The rep has not answered.'}
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="flush">
      <Flex direction="row" gap="small" align="center">
        <Dropdown
          buttonText={answer ? `Your answer: ${FEEDBACK_LABELS[answer]}` : 'Was this useful?'}
          buttonSize="sm"
          variant="transparent"
          disabled={saving}
          testId={`feedback-${action.id}`}
        >
          {FEEDBACK_ORDER.map((option) => (
            <Dropdown.ButtonItem key={option} testId={`feedback-${action.id}-${option}`} onClick={() => void give(option)}>
              {option === answer ? `${FEEDBACK_LABELS[option]} (your answer)` : FEEDBACK_LABELS[option]}
            </Dropdown.ButtonItem>
          ))}
        </Dropdown>
      </Flex>
      {failure ? (
        <Text variant="microcopy" testId={`feedback-error-${action.id}`}>
          {failure}
        </Text>
      ) : null}
    </Flex>
  );
}

function ActionLinks({ action }: { action: GuidedAction }) {
  const [primary, secondary] = action.links;
  if (!primary) return null;
  return (
    <ButtonRow>
      <Button href={primary.href} variant="primary" size="sm" testId={`primary-link-${action.id}`}>
        {primary.label}
      </Button>
      {secondary ? (
        <Button href={secondary.href} variant="secondary" size="sm" testId={`secondary-link-${action.id}`}>
          {secondary.label}
        </Button>
      ) : null}
    </ButtonRow>
  );
}

/** One action: title, the "why", the record, grouped members, links and feedback. */
export function GuidedActionItem({
  action,
  portalId,
  showRecord = true,
}: {
  action: GuidedAction;
  portalId: number;
  showRecord?: boolean;
}) {
  const associated = action.associated.filter((ref) => ref.label.trim());
  return (
    <Tile compact testId={`action-${action.id}`}>
      <Flex direction="column" gap="extra-small">
        <Flex direction="row" justify="between" align="center" gap="small">
          <Text format={{ fontWeight: 'demibold' }}>{action.title}</Text>
          <Tag variant={action.category === 'deal' ? 'info' : 'default'}>{CATEGORY_LABELS[action.category]}</Tag>
        </Flex>
        <Text>{action.reason}</Text>
        {showRecord ? (
          <Text variant="microcopy">
            <RecordLink record={action.record} portalId={portalId} />
            {associated.length ? ` · ${associated.map((ref) => ref.label).join(', ')}` : ''}
          </Text>
        ) : null}
        {action.members.length > 0 ? (
          <Accordion title={membersTitle(action.members)} size="sm" defaultOpen={false} testId={`members-${action.id}`}>
            <List variant="unordered">
              {action.members.map((member) => (
                <RecordLink key={`${member.objectType}-${member.objectId}`} record={member} portalId={portalId} />
              ))}
            </List>
          </Accordion>
        ) : null}
        <ActionLinks action={action} />
        <FeedbackMenu action={action} />
      </Flex>
    </Tile>
  );
}

/** How actions are computed, and every approximation Tiller makes (visible, as the spec asks). */
export function GuidedActionsHelp() {
  return (
    <Accordion title="How guided actions work" size="sm" defaultOpen={false} testId="guided-actions-help">
      <Flex direction="column" gap="extra-small">
        <Text>{HELP_INTRO}</Text>
        <Text format={{ fontWeight: 'demibold' }}>Where Tiller approximates HubSpot</Text>
        <List variant="unordered-styled">
          {HELP_ASSUMPTIONS.map((line) => (
            <Text key={line}>{line}</Text>
          ))}
        </List>
        <Text>{HELP_FEEDBACK}</Text>
      </Flex>
    </Accordion>
  );
}

/** Number of actions per filter, for the filter buttons. */
export function countByCategory(actions: readonly GuidedAction[]): Record<CategoryFilter, number> {
  return {
    all: actions.length,
    deal: actions.filter((a) => a.category === 'deal').length,
    prospecting: actions.filter((a) => a.category === 'prospecting').length,
  };
}

const EMPTY_FILTER_TEXT: Record<CategoryFilter, string> = {
  all: 'Nothing needs your attention right now. New actions appear here as your CRM changes.',
  deal: 'No deal-related actions right now.',
  prospecting: 'No prospecting-related actions right now.',
};

/**
 * The actions, most urgent first (the backend's order), with the category filter and counts.
 * The filter works on the loaded list, so the counts of every category come from one request.
 */
export function GuidedActionList({
  actions,
  portalId,
  showFilter = true,
  showRecord = true,
  emptyText,
  counts: given,
}: {
  actions: readonly GuidedAction[];
  /** The backend's counts per category when it sent only the first actions. */
  counts?: Record<CategoryFilter, number>;
  portalId: number;
  showFilter?: boolean;
  showRecord?: boolean;
  emptyText?: string;
}) {
  const [filter, setFilter] = useState<CategoryFilter>('all');
  const counts = given ?? countByCategory(actions);
  const shown = filter === 'all' ? actions : actions.filter((a) => a.category === filter);
  return (
    <Flex direction="column" gap="small">
      {showFilter ? (
        <ButtonRow>
          {CATEGORY_FILTERS.map((name) => (
            <Button
              key={name}
              testId={`category-${name}`}
              size="sm"
              variant={name === filter ? 'primary' : 'secondary'}
              onClick={() => setFilter(name)}
            >
              {`${CATEGORY_LABELS[name]} (${counts[name]})`}
            </Button>
          ))}
        </ButtonRow>
      ) : null}
      {shown.length === 0 ? (
        <EmptyState title="No guided actions" imageName="task" layout="horizontal" testId="guided-actions-empty">
          <Text>{emptyText && filter === 'all' ? emptyText : EMPTY_FILTER_TEXT[filter]}</Text>
        </EmptyState>
      ) : (
        shown.map((action) => <GuidedActionItem key={action.id} action={action} portalId={portalId} showRecord={showRecord} />)
      )}
    </Flex>
  );
}
