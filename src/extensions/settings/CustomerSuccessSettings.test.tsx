import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, Select, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { CustomerSuccessSettingsResponse } from '../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../shared/testing/fixtures';
import { CustomerSuccessSettings } from './CustomerSuccessSettings';

const SETTINGS: CustomerSuccessSettingsResponse = {
  customers: { objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: null },
  choices: {
    objects: [
      { objectType: 'companies', label: 'Companies' },
      { objectType: 'contacts', label: 'Contacts' },
    ],
    csmProperties: [
      { name: 'hubspot_owner_id', label: 'Company owner', type: 'enumeration', fieldType: 'select' },
      { name: 'cs_manager', label: 'Customer Success Manager', type: 'enumeration', fieldType: 'select' },
    ],
    renewalDateProperties: [{ name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date' }],
  },
  history: [],
};

function renderSection() {
  const renderer = createRenderer('settings');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<CustomerSuccessSettings />);
  return renderer;
}

const select = (r: ReturnType<typeof createRenderer>, name: string) => r.findAll(Select).find((s) => s.props.name === name)!;

afterEach(() => vi.restoreAllMocks());

describe('Customer Success settings section', () => {
  it('offers the user properties for the CSM and the date properties for the renewal, and saves the choice', async () => {
    const saved = {
      ...SETTINGS,
      customers: { objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' },
      history: [
        {
          changedAt: '2026-12-04T12:00:00.000Z',
          userId: 1,
          before: null,
          after: { objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' },
        },
      ],
    };
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(
        backendAnswering({ '/api/v1/settings/customer-success': SETTINGS, 'PUT /api/v1/settings/customer-success': saved }),
      );
    const r = renderSection();
    await r.waitFor(() => expect(r.findAll(Select)).toHaveLength(3));
    expect(select(r, 'cs-csm').props.options).toEqual([
      { label: 'Company owner', value: 'hubspot_owner_id' },
      { label: 'Customer Success Manager', value: 'cs_manager' },
    ]);
    expect(select(r, 'cs-renewal').props.options).toEqual([
      { label: 'None', value: '__none__' },
      { label: 'Renewal date', value: 'renewal_date' },
    ]);
    select(r, 'cs-csm').trigger('onChange', 'cs_manager' as never);
    select(r, 'cs-renewal').trigger('onChange', 'renewal_date' as never);
    r.findByTestId(Button, 'cs-save').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'cs-settings-message')?.props.title).toBe('Saved'));
    expect(callsOf(fetch).find((c) => c.method === 'PUT')!.body).toEqual({
      customers: { objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' },
    });
    expect(r.findAll(Text).map((t) => t.text)).toContain(
      'Dec 4, 2026 · user 1: defaults → companies, CSM cs_manager, renewal renewal_date',
    );
  });

  it('loads the pickers of another object when the manager picks it', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/settings/customer-success': SETTINGS,
        '/api/v1/settings/customer-success/choices': {
          ...SETTINGS.choices,
          csmProperties: [{ name: 'hubspot_owner_id', label: 'Contact owner', type: 'enumeration', fieldType: 'select' }],
        },
      }),
    );
    const r = renderSection();
    await r.waitFor(() => expect(r.findAll(Select)).toHaveLength(3));
    select(r, 'cs-object').trigger('onChange', 'contacts' as never);
    await r.waitFor(() => expect(select(r, 'cs-csm').props.options).toEqual([{ label: 'Contact owner', value: 'hubspot_owner_id' }]));
    expect(callsOf(fetch).at(-1)).toMatchObject({ path: '/api/v1/settings/customer-success/choices', query: { objectType: 'contacts' } });
  });

  it('shows the backend’s field-level errors on their fields', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/settings/customer-success': SETTINGS,
        'PUT /api/v1/settings/customer-success': json(
          {
            error: {
              code: 'BAD_REQUEST',
              message: 'Some settings are not valid: customers.csmProperty.',
              details: [{ field: 'customers.csmProperty', issue: '"Industry" is not a HubSpot user property' }],
            },
          },
          400,
        ),
      }),
    );
    const r = renderSection();
    await r.waitFor(() => expect(r.findAll(Select)).toHaveLength(3));
    r.findByTestId(Button, 'cs-save').trigger('onClick');
    await r.waitFor(() => expect(select(r, 'cs-csm').props.validationMessage).toBe('"Industry" is not a HubSpot user property'));
    expect(select(r, 'cs-csm').props.error).toBe(true);
    expect(r.findByTestId(Alert, 'cs-settings-message').props.title).toBe('Not saved');
  });
});
