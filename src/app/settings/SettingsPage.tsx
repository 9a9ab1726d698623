import { SettingsPage, hubspot } from '@tiller/extensions';

hubspot.extend<'settings'>(() => <SettingsPage />);
