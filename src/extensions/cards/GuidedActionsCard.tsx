import { Flex, Text, useExtensionContext } from '@hubspot/ui-extensions';
import type { GuidedActionsResponse } from '../api/contract';
import { useBackend } from '../api/useBackend';
import { objectTypeNameOf } from '../shared/recordUrl';
import { GUIDED_ACTIONS_PATH, GuidedActionList, GuidedActionsHelp } from '../shared/guided-actions/GuidedActionList';
import { LoadFailed, Loading, PartialNotice } from '../shared/BackendView';

// The object types listed in src/app/cards/guided-actions-card-hsmeta.json (leads are 0-136).
const CARD_OBJECT_TYPES = new Set(['contacts', 'companies', 'deals', 'leads']);

function RecordActions({ objectType, objectId, portalId }: { objectType: string; objectId: string; portalId: number }) {
  const state = useBackend<GuidedActionsResponse>(GUIDED_ACTIONS_PATH, { category: 'all', objectType, objectId });
  if (state.status === 'loading') return <Loading label="Loading guided actions for this record" />;
  if (state.status === 'error') return <LoadFailed title="Guided actions could not be loaded" error={state.error} onRetry={state.reload} />;
  return (
    <Flex direction="column" gap="small">
      <PartialNotice result={state.data} title="Some guided actions may be missing" />
      <GuidedActionList
        actions={state.data.actions}
        portalId={portalId}
        showFilter={false}
        emptyText="Nothing to do on this record for you right now."
      />
      <GuidedActionsHelp />
    </Flex>
  );
}

/** CARD-2: the viewing user's guided actions about the record the card sits on. */
export function GuidedActionsCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const objectType = objectTypeNameOf(context.crm.objectTypeId);
  if (!objectType || !CARD_OBJECT_TYPES.has(objectType)) {
    return <Text>This card shows guided actions on contacts, companies, deals and leads.</Text>;
  }
  return <RecordActions objectType={objectType} objectId={String(context.crm.objectId)} portalId={context.portal.id} />;
}
