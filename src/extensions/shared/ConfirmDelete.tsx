import { useState } from 'react';
import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';

/**
 * A delete button that asks first: nothing is deleted until the user confirms. `onDelete` answers
 * null when done, else the sentence to show (the alert stays open to try again).
 */
export function ConfirmDelete({
  label,
  title,
  body,
  testIds,
  onDelete,
}: {
  label: string;
  title: string;
  body: string;
  testIds: { open: string; alert: string; confirm: string; error: string };
  onDelete: () => Promise<string | null>;
}) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!asking)
    return (
      <Button size="sm" variant="destructive" testId={testIds.open} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  const remove = async () => setError(await onDelete());
  return (
    <Alert title={title} variant="warning" testId={testIds.alert}>
      <Flex direction="column" gap="extra-small">
        <Text>{body}</Text>
        {error ? <Text testId={testIds.error}>{error}</Text> : null}
        <Flex direction="row" gap="small">
          <Button size="sm" variant="destructive" testId={testIds.confirm} onClick={() => void remove()}>
            Delete
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setAsking(false)}>
            Keep it
          </Button>
        </Flex>
      </Flex>
    </Alert>
  );
}
