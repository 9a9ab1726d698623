import { WorkspacePages, hubspot } from '@tiller/extensions';

hubspot.extend<'pages'>(() => <WorkspacePages />);
