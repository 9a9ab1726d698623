import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { useState } from 'react';
import { Button, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type {
  HealthProfilePreview,
  HealthProfileResponse,
  HealthRecordResponse,
  MeResponse,
  TaskBucketsResponse,
  UsersResponse,
} from './contract';
import { feedbackPath, healthProfilePath, healthProfilePreviewPath, healthRecordPath } from './endpoints';
import { backendUrl, useBackend, useBackendCall, type BackendOutcome, type BackendState } from './useBackend';
import { ORIGIN, json } from '../shared/testing/fixtures';

function Harness() {
  const [name, setName] = useState('first');
  const state = useBackend('/api/v1/users', { name });
  return (
    <>
      <Button testId="next" onClick={() => setName('second')}>
        Next
      </Button>
      <Text testId="state">{state.status === 'success' ? `${state.status}:${state.data.users[0]?.name}` : state.status}</Text>
    </>
  );
}

const users = (name: string) => json({ users: [{ userId: 1, ownerId: null, name, email: null }] });

afterEach(() => vi.restoreAllMocks());

describe('useBackend', () => {
  it('ignores the answer to a request that a newer one replaced', async () => {
    let answerFirst: (response: Response) => void = () => undefined;
    vi.spyOn(hubspot, 'fetch').mockImplementation((url) => {
      const name = new URL(String(url)).searchParams.get('name') ?? '';
      if (name === 'first') return new Promise<Response>((resolve) => (answerFirst = resolve));
      return Promise.resolve(users(name));
    });
    const { findByTestId, mocks, render, waitFor } = createRenderer('pages');
    mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    render(<Harness />);
    expect(findByTestId(Text, 'state').text).toBe('loading');

    findByTestId(Button, 'next').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('success:second'));

    answerFirst(users('first'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(findByTestId(Text, 'state').text).toBe('success:second');
  });

  it('builds absolute URLs and leaves out undefined parameters', () => {
    expect(backendUrl('https://api.example.com', '/api/v1/tasks/buckets', { limit: 5, objectType: undefined })).toBe(
      'https://api.example.com/api/v1/tasks/buckets?limit=5',
    );
  });

  it('builds parametrised paths with encoded segments', () => {
    expect(healthRecordPath('companies', 'a/b')).toBe('/api/v1/health/records/companies/a%2Fb');
    expect(healthProfilePath('p 1')).toBe('/api/v1/health/profiles/p%201');
    expect(healthProfilePreviewPath('new')).toBe('/api/v1/health/profiles/new/preview');
    expect(feedbackPath('ga-1')).toBe('/api/v1/guided-actions/ga-1/feedback');
  });
});

// Checked by the type checker (npm run typecheck), never rendered: the endpoint map types every call by its path.
function TypedByPath() {
  expectTypeOf(useBackend('/api/v1/tasks/buckets')).toEqualTypeOf<BackendState<TaskBucketsResponse>>();
  expectTypeOf(useBackend('/api/v1/me')).toEqualTypeOf<BackendState<MeResponse>>();
  expectTypeOf(useBackend('/api/v1/users', { name: 'x' })).toEqualTypeOf<BackendState<UsersResponse>>();
  expectTypeOf(useBackend(healthRecordPath('companies', '4'))).toEqualTypeOf<BackendState<HealthRecordResponse>>();
  expectTypeOf(useBackend(healthProfilePath('p-1'))).toEqualTypeOf<BackendState<HealthProfileResponse>>();
  // @ts-expect-error a path that is not in the endpoint map
  useBackend('/api/v1/task/buckets');
  // @ts-expect-error the answer type comes from the path, not from a type argument
  useBackend<TaskBucketsResponse>('/api/v1/tasks/buckets');

  const call = useBackendCall();
  expectTypeOf(call('POST', healthProfilePreviewPath('p-1'), { profile: {} as HealthProfileResponse['profile'] })).toEqualTypeOf<
    Promise<BackendOutcome<HealthProfilePreview>>
  >();
  expectTypeOf(call('POST', feedbackPath('ga-1'), { answer: 'NOT_REALLY' })).toEqualTypeOf<Promise<BackendOutcome<void>>>();
  // @ts-expect-error a body that does not fit the endpoint
  void call('POST', feedbackPath('ga-1'), { answer: 'MAYBE' });
  // @ts-expect-error a method the endpoint does not take
  void call('PUT', feedbackPath('ga-1'), { answer: 'NOT_REALLY' });
  return null;
}
void TypedByPath;
