import type { HealthProfile } from '../api/contract';

type Criterion = HealthProfile['groups'][number]['criteria'][number];

/** One editable number of a criterion: `key` addresses it inside the criterion. */
export type PointField = { key: string; label: string; value: number };

function bandLabel(band: { min?: number; max?: number }, unit: string): string {
  if (band.min !== undefined && band.max !== undefined) return `${band.min} to ${band.max} ${unit}`;
  if (band.min !== undefined) return `${band.min} ${unit} or more`;
  if (band.max !== undefined) return `below ${band.max} ${unit}`;
  return `any ${unit}`;
}

const BAND_UNITS: Partial<Record<Criterion['kind'], string>> = {
  engagementCount: 'engagements',
  engagementRecency: 'days since',
  openTickets: 'open tickets',
  ticketAge: 'days old',
  deals: 'deals',
  renewal: 'days to renewal',
  daysSince: 'days since',
  nps: 'NPS',
};

/** The points a manager can edit on a criterion, whatever its kind. */
export function pointFields(criterion: Criterion): PointField[] {
  const fields: PointField[] = [];
  switch (criterion.kind) {
    case 'property':
      fields.push({ key: 'matchPoints', label: 'Points when it matches', value: criterion.matchPoints });
      fields.push({ key: 'noMatchPoints', label: 'Points otherwise', value: criterion.noMatchPoints });
      break;
    case 'sentiment':
      for (const [value, points] of Object.entries(criterion.points))
        fields.push({ key: `points.${value}`, label: `Points for ${value}`, value: points });
      break;
    default:
      criterion.bands.forEach((band, i) =>
        fields.push({
          key: `bands.${i}`,
          label: `Points for ${bandLabel(band, BAND_UNITS[criterion.kind] ?? '')}`.trim(),
          value: band.points,
        }),
      );
      if (criterion.kind === 'engagementRecency')
        fields.push({
          key: 'noneInWindowPoints',
          label: `Points with none in ${criterion.windowDays} days`,
          value: criterion.noneInWindowPoints,
        });
      if (criterion.kind === 'ticketAge')
        fields.push({ key: 'noOpenTicketPoints', label: 'Points with no open ticket', value: criterion.noOpenTicketPoints });
  }
  return fields;
}

/** A copy of the criterion with one point field changed. */
export function withPointField(criterion: Criterion, key: string, value: number): Criterion {
  const [head, index] = key.split('.');
  if (head === 'bands' && 'bands' in criterion) {
    return {
      ...criterion,
      bands: criterion.bands.map((band, i) => (String(i) === index ? { ...band, points: value } : band)),
    } as Criterion;
  }
  if (head === 'points' && criterion.kind === 'sentiment' && index !== undefined) {
    return { ...criterion, points: { ...criterion.points, [index]: value } };
  }
  return { ...criterion, [key]: value } as Criterion;
}

/** Problems that block preview and save, keyed by field ("name", "thresholds", "groups", "group.<i>"). */
export function validateDraft(profile: HealthProfile): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!profile.name.trim()) problems.name = 'Give the profile a name.';
  const { atRiskBelow, goodFrom } = profile.thresholds;
  const inRange = (n: number) => Number.isFinite(n) && n >= 0 && n <= 100;
  if (!inRange(atRiskBelow) || !inRange(goodFrom)) problems.thresholds = 'Thresholds are scores from 0 to 100.';
  else if (atRiskBelow >= goodFrom) problems.thresholds = '"At risk below" must be lower than "Good from".';
  profile.groups.forEach((group, i) => {
    if (!group.label.trim()) problems[`group.${i}`] = 'Give the group a name.';
    else if (!(group.maxPoints > 0)) problems[`group.${i}`] = 'Max points must be above 0.';
    else if (group.criteria.length === 0) problems[`group.${i}`] = 'A group needs at least one criterion.';
  });
  if (profile.groups.length === 0) problems.groups = 'A profile needs at least one group.';
  const total = Math.round(profile.groups.reduce((sum, g) => sum + (Number.isFinite(g.maxPoints) ? g.maxPoints : 0), 0) * 1000) / 1000;
  if (profile.groups.length > 0 && total !== 100) problems.groups = `The groups' max points add up to ${total}; they must add up to 100.`;
  return problems;
}
