import { TasksCard, hubspot } from '@tiller/extensions';

hubspot.extend<'crm.record.sidebar'>(() => <TasksCard />);
