import { useState } from 'react';
import { Button, Flex, Input, Link, Select, Tag, Text, Tile, useExtensionContext } from '@hubspot/ui-extensions';
import type { FeedItem, FeedType } from '../../api/contract';
import { feedDismissalPath } from '../../api/endpoints';
import { useBackendCall, usePagedBackend, useViewAs } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { recordUrl } from '../../shared/recordUrl';

const TYPE_LABELS: Record<FeedType, string> = {
  open: 'Email open',
  click: 'Email click',
  reply: 'Reply',
  form: 'Form submission',
  meeting: 'Meeting booked',
  call: 'Call',
};

const when = (iso: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** Tomorrow's date (YYYY-MM-DD) where the user is: a follow-up task's default due date. */
function tomorrow(): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 86_400_000));
}

type Status = { id: string; text: string } | null;

function FeedEntry({
  item,
  readOnly,
  onDismiss,
  onTask,
}: {
  item: FeedItem;
  readOnly: boolean;
  onDismiss: () => void;
  onTask: () => void;
}) {
  const portalId = useExtensionContext().portal.id;
  const contactUrl = recordUrl(portalId, item.contact);
  const companyUrl = recordUrl(portalId, item.company);
  return (
    <Tile compact>
      <Flex direction="column" gap="extra-small">
        <Flex direction="row" gap="small" align="center" wrap="wrap">
          <Tag variant="info">{TYPE_LABELS[item.type]}</Tag>
          {item.inSequence ? <Tag>In a sequence</Tag> : null}
          <Text format={{ fontWeight: 'demibold' }} testId={`feed-${item.id}`}>
            {item.title}
          </Text>
        </Flex>
        {item.detail ? <Text>{item.detail}</Text> : null}
        <Flex direction="row" gap="small" wrap="wrap" align="center">
          <Text variant="microcopy">{when(item.occurredAt)}</Text>
          {companyUrl ? <Link href={{ url: companyUrl, external: true }}>{item.company.label}</Link> : <Text>{item.company.label}</Text>}
        </Flex>
        <Flex direction="row" gap="small" wrap="wrap" align="center">
          {/* CrmActionButton is not allowed on app pages: HubSpot's own call, email, note and meeting
              tools are on the contact's record. */}
          {contactUrl ? (
            <Link href={{ url: contactUrl, external: true }} testId={`follow-up-${item.id}`}>
              {`Call, email, note or meet ${item.contact.label} in HubSpot`}
            </Link>
          ) : null}
          {readOnly ? null : (
            <>
              <Button size="sm" testId={`task-${item.id}`} onClick={onTask}>
                Create follow-up task
              </Button>
              <Button size="sm" variant="transparent" testId={`dismiss-${item.id}`} onClick={onDismiss}>
                Dismiss
              </Button>
            </>
          )}
        </Flex>
      </Flex>
    </Tile>
  );
}

/** CS-FEED-1..4: what the contacts of the user's companies just did, newest first. */
export function FeedTab() {
  const [type, setType] = useState<FeedType | ''>('');
  const [sequence, setSequence] = useState<'any' | 'enrolled' | 'not-enrolled'>('any');
  const [q, setQ] = useState('');
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [status, setStatus] = useState<Status>(null);
  const viewingAs = useViewAs() !== null;
  const call = useBackendCall();
  const list = usePagedBackend('/api/v1/feed', { types: type || undefined, sequence, q: q || undefined, limit: 25 });

  const dismiss = async (item: FeedItem) => {
    setHidden((h) => new Set(h).add(item.id));
    const result = await call('POST', '/api/v1/feed/dismissals', { itemId: item.id });
    if (result.ok) setStatus({ id: item.id, text: `Dismissed: ${item.title}.` });
    else {
      setHidden((h) => new Set([...h].filter((id) => id !== item.id)));
      setStatus({ id: item.id, text: `This item could not be dismissed. ${result.error.message}` });
    }
  };
  const undo = async (id: string) => {
    const result = await call('DELETE', feedDismissalPath(id), {});
    if (result.ok) {
      setHidden((h) => new Set([...h].filter((x) => x !== id)));
      setStatus(null);
    } else setStatus({ id, text: `The item could not be brought back. ${result.error.message}` });
  };
  const task = async (item: FeedItem) => {
    const result = await call('POST', '/api/v1/actions/tasks', {
      subject: `Follow up: ${item.title}`,
      dueDate: tomorrow(),
      type: item.type === 'call' ? 'CALL' : 'EMAIL',
      associatedRecord: { objectType: 'contacts', objectId: item.contact.objectId },
    });
    setStatus(
      result.ok
        ? { id: '', text: `Task created for ${item.contact.label}, due tomorrow.` }
        : { id: '', text: `The task could not be created. ${result.error.message}` },
    );
  };

  return (
    <Flex direction="column" gap="medium">
      <Flex direction="row" gap="small" wrap="wrap" align="end">
        <Input
          label="Search"
          name="q"
          testId="feed-search"
          value={q}
          placeholder="Contact, company, subject…"
          onChange={(v) => setQ(v.trim())}
        />
        <Select
          label="Activity"
          name="type"
          testId="feed-type"
          value={type}
          options={[{ label: 'All activity', value: '' }, ...Object.entries(TYPE_LABELS).map(([value, label]) => ({ label, value }))]}
          onChange={(v) => setType((v ? String(v) : '') as FeedType | '')}
        />
        <Select
          label="Sequences"
          name="sequence"
          testId="feed-sequence"
          value={sequence}
          options={[
            { label: 'Any contact', value: 'any' },
            { label: 'In a sequence', value: 'enrolled' },
            { label: 'Not in a sequence', value: 'not-enrolled' },
          ]}
          onChange={(v) => setSequence(String(v) as typeof sequence)}
        />
      </Flex>
      {viewingAs ? (
        <Text testId="feed-read-only">{"You are viewing another user's feed: dismissing and follow-up tasks are theirs to do."}</Text>
      ) : null}
      {status ? (
        <Flex direction="row" gap="small" align="center">
          <Text testId="feed-status">{status.text}</Text>
          {status.id && hidden.has(status.id) ? (
            <Button size="sm" testId="feed-undo" onClick={() => void undo(status.id)}>
              Undo
            </Button>
          ) : null}
        </Flex>
      ) : null}
      <BackendView
        state={list.state}
        loading="Loading your feed"
        failed="Your feed could not be loaded"
        retryTestId="retry-feed"
        partial="Your feed may be incomplete"
        isEmpty={(pages) => pages.every((p) => p.items.every((i) => hidden.has(i.id)))}
        empty={
          <Text testId="feed-empty">
            {q || type || sequence !== 'any'
              ? 'No activity matches these filters.'
              : 'No recent activity from the contacts of your companies.'}
          </Text>
        }
      >
        {(pages) => (
          <Flex direction="column" gap="small">
            <Text variant="microcopy" testId="feed-count">
              {`${pages[0]!.total} items from the ${pages[0]!.contacts} contacts of your companies, newest first.`}
            </Text>
            {pages
              .flatMap((p) => p.items)
              .filter((i) => !hidden.has(i.id))
              .map((item) => (
                <FeedEntry
                  key={item.id}
                  item={item}
                  readOnly={viewingAs}
                  onDismiss={() => void dismiss(item)}
                  onTask={() => void task(item)}
                />
              ))}
            {list.more.status === 'error' ? (
              <Text testId="feed-more-error">{`Older items could not be loaded. ${list.more.error.message}`}</Text>
            ) : null}
            {list.hasMore ? (
              <Button testId="feed-older" size="sm" disabled={list.more.status === 'loading'} onClick={list.loadMore}>
                {list.more.status === 'loading' ? 'Loading…' : 'Load older'}
              </Button>
            ) : null}
          </Flex>
        )}
      </BackendView>
    </Flex>
  );
}
