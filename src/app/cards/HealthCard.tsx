import { HealthCard, hubspot } from '@tiller/extensions';

hubspot.extend<'crm.record.sidebar'>(() => <HealthCard />);
