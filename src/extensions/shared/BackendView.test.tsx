import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { PartialResult } from '../api/contract';
import type { BackendState } from '../api/useBackend';
import { BackendView } from './BackendView';

type Answer = PartialResult & { items: string[] };

function renderView(state: BackendState<Answer | Answer[]>) {
  const renderer = createRenderer('pages');
  renderer.render(
    <BackendView
      state={state}
      loading="Loading items"
      failed="Items could not be loaded"
      retryTestId="retry-items"
      partial="Some items may be missing"
      partialTestId="items-partial"
      isEmpty={(data) => [data].flat().every((page) => page.items.length === 0)}
      empty={
        <EmptyState title="No items" testId="items-empty">
          <Text>Nothing yet.</Text>
        </EmptyState>
      }
    >
      {(data) => (
        <Text testId="items">
          {[data]
            .flat()
            .flatMap((page) => page.items)
            .join(', ')}
        </Text>
      )}
    </BackendView>,
  );
  return renderer;
}

const success = (data: Answer | Answer[]): BackendState<Answer | Answer[]> => ({
  status: 'success',
  data,
  error: undefined,
  reload: () => undefined,
});

describe('BackendView', () => {
  it('shows a spinner with its label while loading', () => {
    const r = renderView({ status: 'loading', data: undefined, error: undefined, reload: () => undefined });
    expect(r.find(LoadingSpinner).props.label).toBe('Loading items');
    expect(r.maybeFindByTestId(Text, 'items')).toBeNull();
  });

  it('shows a failure in the backend’s sentence, and "Try again" reloads', () => {
    const reload = vi.fn();
    const r = renderView({
      status: 'error',
      data: undefined,
      error: { code: 'UNAVAILABLE', message: 'Tiller is briefly unavailable.' },
      reload,
    });
    expect(r.find(ErrorState).props.title).toBe('Items could not be loaded');
    expect(r.find(ErrorState).find(Text).text).toBe('Tiller is briefly unavailable.');
    r.findByTestId(Button, 'retry-items').trigger('onClick');
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('asks for a reconnect, not a retry, when HubSpot refused Tiller’s tokens', () => {
    const r = renderView({
      status: 'error',
      data: undefined,
      reload: () => undefined,
      error: { code: 'NEEDS_RECONNECT', message: 'HubSpot no longer accepts Tiller for this account.' },
    });
    expect(r.findByTestId(Alert, 'reconnect').props.title).toBe('Tiller needs to be reconnected');
    expect(r.maybeFindByTestId(Button, 'retry-items')).toBeNull();
  });

  it('shows the data, with no notice when the answer is complete', () => {
    const r = renderView(success({ items: ['a', 'b'] }));
    expect(r.findByTestId(Text, 'items').text).toBe('a, b');
    expect(r.maybeFind(Alert)).toBeNull();
  });

  it('says a partial answer out loud, above the data or the empty state', () => {
    const withData = renderView(success({ items: ['a'], partial: true, warnings: ['Owners could not be read.'] }));
    expect(withData.findByTestId(Alert, 'items-partial').props.title).toBe('Some items may be missing');
    expect(withData.findByTestId(Alert, 'items-partial').text).toBe('Owners could not be read.');
    expect(withData.findByTestId(Text, 'items').text).toBe('a');

    const empty = renderView(success({ items: [], partial: true }));
    expect(empty.findByTestId(Alert, 'items-partial').text).toBe('HubSpot did not return everything.');
    expect(empty.findByTestId(EmptyState, 'items-empty')).toBeTruthy();
    expect(empty.maybeFindByTestId(Text, 'items')).toBeNull();
  });

  it('joins the warnings of every partial page of a paged list, once each', () => {
    const r = renderView(
      success([
        { items: ['a'], partial: true, warnings: ['Owners could not be read.'] },
        { items: ['b'] },
        { items: ['c'], partial: true, warnings: ['Owners could not be read.', 'Tickets could not be read.'] },
      ]),
    );
    expect(r.findAll(Alert)).toHaveLength(1);
    expect(r.find(Alert).text).toBe('Owners could not be read. Tickets could not be read.');
    expect(r.findByTestId(Text, 'items').text).toBe('a, b, c');
  });
});
