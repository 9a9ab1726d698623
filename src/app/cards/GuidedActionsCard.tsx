import { GuidedActionsCard, hubspot } from '@tiller/extensions';

hubspot.extend<'crm.record.sidebar'>(() => <GuidedActionsCard />);
