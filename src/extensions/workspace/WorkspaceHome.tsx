import { useCallback, useState } from 'react';
import { Flex, Tab, Tabs } from '@hubspot/ui-extensions';
import { ViewAsProvider, useBackend } from '../api/useBackend';
import { ViewAsPicker } from './ViewAsPicker';
import { WORKSPACE_TABS, workspaceTab, type WorkspaceTabId } from './tabs';

/**
 * The workspace home: one tab per section; managers may view it as another user. Only the
 * selected tab is mounted (the host would otherwise render, and load, every tab at once).
 */
export function WorkspaceHome() {
  // Who is looking: decides the "View as" picker. A failure here only hides manager tools.
  const me = useBackend('/api/v1/me');
  const [asUserId, setAsUserId] = useState<number | null>(null);
  const [selected, setSelected] = useState<WorkspaceTabId>(WORKSPACE_TABS[0].id);
  const [tabParams, setTabParams] = useState<Record<string, string>>({});
  const open = useCallback((id: string, params: Record<string, string> = {}) => {
    const tab = workspaceTab(id);
    if (!tab) return;
    setSelected(tab.id);
    setTabParams(params);
  }, []);
  const isManager = me.status === 'success' && me.data.isManager;
  return (
    <Flex direction="column" gap="medium">
      {isManager ? <ViewAsPicker selfUserId={me.data.userId} value={asUserId} onChange={setAsUserId} /> : null}
      <Tabs
        selected={selected}
        onSelectedChange={(id: string | number) => {
          setSelected(workspaceTab(id)?.id ?? selected);
          setTabParams({});
        }}
        variant="enclosed"
      >
        {WORKSPACE_TABS.map(({ id, title, Content }) => (
          <Tab key={id} tabId={id} title={title}>
            {id === selected ? (
              // Keyed by the user shown: nothing of one user's workspace (pages, answers) survives a switch.
              <ViewAsProvider value={asUserId} key={asUserId ?? 'self'}>
                <Content isManager={isManager} open={open} params={tabParams} />
              </ViewAsProvider>
            ) : null}
          </Tab>
        ))}
      </Tabs>
    </Flex>
  );
}
