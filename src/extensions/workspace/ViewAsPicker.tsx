import { Select, Text } from '@hubspot/ui-extensions';
import { useBackend } from '../api/useBackend';

const YOURSELF = 'self';

/** CS-SUM-7 / SW-6: a manager picks whose workspace to see. Rendered for managers only. */
export function ViewAsPicker({
  selfUserId,
  value,
  onChange,
}: {
  selfUserId: number;
  value: number | null;
  onChange: (userId: number | null) => void;
}) {
  const users = useBackend('/api/v1/users');
  if (users.status === 'error')
    return (
      <Text
        variant="microcopy"
        testId="view-as-error"
      >{`You cannot view the workspace as someone else right now. ${users.error.message}`}</Text>
    );
  const others = users.status === 'success' ? users.data.users.filter((u) => u.userId !== selfUserId) : [];
  return (
    <Select
      label="View as"
      name="viewAs"
      testId="view-as"
      description="See the workspace as this user sees it."
      readOnly={users.status === 'loading'}
      value={value === null ? YOURSELF : String(value)}
      options={[
        { label: 'Yourself', value: YOURSELF },
        ...others.map((u) => ({ label: u.email ? `${u.name} (${u.email})` : u.name, value: String(u.userId) })),
      ]}
      onChange={(picked) => onChange(picked === YOURSELF ? null : Number(picked))}
    />
  );
}
