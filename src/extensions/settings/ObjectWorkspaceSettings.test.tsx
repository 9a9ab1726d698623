import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, Checkbox, Input, Select, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { PipelineObjectChoices, ServicesSettingsResponse } from '../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../shared/testing/fixtures';
import { ServicesSettings } from './ObjectWorkspaceSettings';

const CHOICES: PipelineObjectChoices = {
  objectType: '0-162',
  csmProperties: [{ name: 'hubspot_owner_id', label: 'Owner', type: 'user', fieldType: 'select' }],
  renewalDateProperties: [{ name: 'go_live_date', label: 'Go-live date', type: 'date', fieldType: 'date' }],
  amountProperties: [],
  properties: [{ name: 'go_live_date', label: 'Go-live date', type: 'date', fieldType: 'date' }],
  pipelines: [
    { id: 'p1', label: 'Onboarding', stages: [{ id: 'done', label: 'Done' }] },
    { id: 'p2', label: 'Renewals', stages: [{ id: 'r1', label: 'Open' }] },
  ],
};
const SAVED: ServicesSettingsResponse = {
  services: {
    objectType: '0-162',
    csmProperty: 'hubspot_owner_id',
    renewalDateProperty: null,
    visiblePipelines: null,
    defaultPipeline: null,
    defaultLayout: 'table',
    stageRequirements: {},
  },
  objects: [{ objectType: '0-162', label: 'Services' }],
  choices: CHOICES,
  history: [],
};

afterEach(() => vi.restoreAllMocks());

describe('Services settings (CS-SET-2)', () => {
  it('saves visible pipelines, layout and a stage’s requirements, and shows the backend’s field errors', async () => {
    let refuse = true;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/settings/customer-success/services': SAVED,
        'PUT /api/v1/settings/customer-success/services': (_u: URL, o?: { body?: unknown }) => {
          if (!refuse) return { ...SAVED, services: (o?.body as { services: ServicesSettingsResponse['services'] }).services };
          refuse = false;
          return json(
            {
              error: {
                code: 'BAD_REQUEST',
                message: 'Some settings are not valid: services.stageRequirements.done.0.',
                details: [{ field: 'services.stageRequirements.done.0', issue: '0-162 has no property "go_live"' }],
              },
            },
            400,
          );
        },
      }),
    );
    const renderer = createRenderer('settings');
    renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    renderer.render(<ServicesSettings />);
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'services-save')).not.toBeNull());
    renderer.find(Checkbox, { name: 'services.pipeline-p2' }).trigger('onChange', false as never);
    renderer.find(Select, { name: 'services.layout' }).trigger('onChange', 'board' as never);
    renderer.find(Input, { name: 'services.req-done' }).trigger('onChange', 'go_live' as never);
    renderer.findByTestId(Button, 'services-save').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.find(Input, { name: 'services.req-done' }).props.validationMessage).toBe('0-162 has no property "go_live"'),
    );
    renderer.find(Input, { name: 'services.req-done' }).trigger('onChange', 'go_live_date' as never);
    renderer.findByTestId(Button, 'services-save').trigger('onClick');
    await renderer.waitFor(() => expect(callsOf(fetch).filter((c) => c.method === 'PUT')).toHaveLength(2));
    expect(callsOf(fetch).filter((c) => c.method === 'PUT')[1]!.body).toEqual({
      services: { ...SAVED.services, visiblePipelines: ['p1'], defaultLayout: 'board', stageRequirements: { done: ['go_live_date'] } },
    });
  });
});
