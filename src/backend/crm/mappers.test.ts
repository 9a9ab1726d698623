import { describe, expect, it } from 'vitest';
import { toPropertyDefinition } from './mappers';

describe('property definitions', () => {
  it('keep HubSpot’s referencedObjectType, which marks "HubSpot user" properties', () => {
    const user = toPropertyDefinition({
      name: 'cs_manager',
      label: 'CSM',
      type: 'enumeration',
      fieldType: 'select',
      options: [],
      referencedObjectType: 'OWNER',
    });
    expect(user).toEqual({
      name: 'cs_manager',
      label: 'CSM',
      type: 'enumeration',
      fieldType: 'select',
      options: [],
      referencedObjectType: 'OWNER',
    });
    const plain = toPropertyDefinition({
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      fieldType: 'select',
      options: [{ label: 'A', value: 'a', hidden: false }],
    });
    expect(plain).toEqual({
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      fieldType: 'select',
      options: [{ label: 'A', value: 'a', displayOrder: 0, hidden: false }],
    });
  });
});
