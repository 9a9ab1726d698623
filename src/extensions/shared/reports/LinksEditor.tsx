import { useState } from 'react';
import { Button, Flex, Input, Text } from '@hubspot/ui-extensions';
import type { HubSpotLink } from '../../api/contract';

export const MAX_LINKS = 10;

/** Edits a list of labelled links into HubSpot; the backend checks each URL (field-level errors are shown by the caller). */
export function LinksEditor({
  links,
  onChange,
  what,
  name,
}: {
  links: HubSpotLink[];
  onChange: (links: HubSpotLink[]) => void;
  /** "report" or "dashboard": what the links open in HubSpot. */
  what: string;
  /** Names the inputs and test ids. */
  name: string;
}) {
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const looksLikeHubSpot = /^https:\/\/([\w-]+\.)*hubspot\.com\//.test(url.trim());
  return (
    <Flex direction="column" gap="extra-small">
      {links.map((l, i) => (
        <Flex key={`${l.label}-${l.url}`} direction="row" gap="small" align="center">
          <Text>{`${l.label} — ${l.url}`}</Text>
          <Button
            size="sm"
            variant="transparent"
            testId={`${name}-remove-link-${i}`}
            onClick={() => onChange(links.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </Flex>
      ))}
      {links.length < MAX_LINKS ? (
        <Flex direction="row" gap="small" align="end" wrap="wrap">
          <Input label={`Name of the HubSpot ${what}`} name={`${name}-link-label`} value={label} onChange={setLabel} />
          <Input
            label={`Link to the HubSpot ${what}`}
            name={`${name}-link-url`}
            placeholder="https://app.hubspot.com/…"
            value={url}
            onChange={setUrl}
            error={url.trim() !== '' && !looksLikeHubSpot}
            validationMessage={
              url.trim() !== '' && !looksLikeHubSpot ? 'Paste a link that starts with https://app.hubspot.com/' : undefined
            }
          />
          <Button
            size="sm"
            testId={`${name}-add-link`}
            disabled={label.trim() === '' || !looksLikeHubSpot}
            onClick={() => {
              onChange([...links, { label: label.trim(), url: url.trim() }]);
              setLabel('');
              setUrl('');
            }}
          >
            Add link
          </Button>
        </Flex>
      ) : (
        <Text variant="microcopy">{`At most ${MAX_LINKS} links.`}</Text>
      )}
    </Flex>
  );
}
