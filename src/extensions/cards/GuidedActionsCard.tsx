import { Text, useExtensionContext } from '@hubspot/ui-extensions';
import { useBackend } from '../api/useBackend';
import { objectTypeNameOf } from '../shared/recordUrl';
import { GuidedActionList, GuidedActionsHelp } from '../shared/guided-actions/GuidedActionList';
import { BackendView } from '../shared/BackendView';

// The object types listed in src/app/cards/guided-actions-card-hsmeta.json (leads are 0-136).
const CARD_OBJECT_TYPES = new Set(['contacts', 'companies', 'deals', 'leads']);

function RecordActions({ objectType, objectId, portalId }: { objectType: string; objectId: string; portalId: number }) {
  const state = useBackend('/api/v1/guided-actions', { category: 'all', objectType, objectId });
  return (
    <BackendView
      state={state}
      loading="Loading guided actions for this record"
      failed="Guided actions could not be loaded"
      partial="Some guided actions may be missing"
    >
      {(answer) => (
        <>
          <GuidedActionList
            actions={answer.actions}
            portalId={portalId}
            showFilter={false}
            emptyText="Nothing to do on this record for you right now."
          />
          <GuidedActionsHelp />
        </>
      )}
    </BackendView>
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
