import { afterEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { Button, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { backendUrl, useBackend } from './useBackend';
import { ORIGIN, json } from '../shared/testing/fixtures';

function Harness() {
  const [id, setId] = useState('first');
  const state = useBackend<{ id: string }>('/api/v1/echo', { id });
  return (
    <>
      <Button testId="next" onClick={() => setId('second')}>
        Next
      </Button>
      <Text testId="state">{state.status === 'success' ? `${state.status}:${state.data.id}` : state.status}</Text>
    </>
  );
}

afterEach(() => vi.restoreAllMocks());

describe('useBackend', () => {
  it('ignores the answer to a request that a newer one replaced', async () => {
    let answerFirst: (response: Response) => void = () => undefined;
    vi.spyOn(hubspot, 'fetch').mockImplementation((url) => {
      const id = new URL(String(url)).searchParams.get('id');
      if (id === 'first') return new Promise<Response>((resolve) => (answerFirst = resolve));
      return Promise.resolve(json({ id }));
    });
    const { findByTestId, mocks, render, waitFor } = createRenderer('pages');
    mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    render(<Harness />);
    expect(findByTestId(Text, 'state').text).toBe('loading');

    findByTestId(Button, 'next').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('success:second'));

    answerFirst(json({ id: 'first' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(findByTestId(Text, 'state').text).toBe('success:second');
  });

  it('builds absolute URLs and leaves out undefined parameters', () => {
    expect(backendUrl('https://api.example.com', '/api/v1/tasks/buckets', { limit: 5, objectType: undefined })).toBe(
      'https://api.example.com/api/v1/tasks/buckets?limit=5',
    );
  });
});
