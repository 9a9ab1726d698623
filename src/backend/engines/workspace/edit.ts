import { DateTime } from 'luxon';
import { isUserProperty, type PropertyDef } from './properties';

// Inline edits (CS-CUS-3, CS-SRV-3) and the properties a stage change asks for: a value typed by
// the user, checked against the property's definition as HubSpot checks it (hubspot-crm-data.md
// §1.1 dates, §1.2 enumerations), and written the way HubSpot stores it: a string, '' to clear.

/** What the UI sends for one property. */
export type EditValue = string | number | boolean | null;

export type EditCheck = { ok: true; value: string } | { ok: false; issue: string };

/** HubSpot's limit on a text property's value (65,536 characters). */
export const MAX_TEXT_LENGTH = 65_536;

const fail = (issue: string): EditCheck => ({ ok: false, issue });

/**
 * The HubSpot value for `value` written to the property `def`, or why it cannot be written.
 * `ownerIds` are the portal's active owners (a user property holds one of them).
 */
export function toHubSpotValue(def: PropertyDef, value: EditValue, ownerIds: ReadonlySet<string>): EditCheck {
  if (def.readOnly) return fail(`"${def.label}" is calculated by HubSpot and cannot be edited`);
  if (value === null || value === '') return { ok: true, value: '' };
  if (isUserProperty(def)) {
    const id = String(value);
    return ownerIds.has(id) ? { ok: true, value: id } : fail(`${id} is not an active HubSpot user of this portal`);
  }
  switch (def.type) {
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? { ok: true, value: String(n) } : fail(`"${def.label}" takes a number`);
    }
    case 'bool':
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value: String(value) };
      const s = String(value).toLowerCase();
      return s === 'true' || s === 'false' ? { ok: true, value: s } : fail(`"${def.label}" takes Yes or No`);
    }
    case 'date': {
      // A date property holds a day (HubSpot stores midnight UTC): YYYY-MM-DD, a real day.
      const s = String(value);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !DateTime.fromISO(s, { zone: 'UTC' }).isValid)
        return fail(`"${def.label}" takes a day (YYYY-MM-DD)`);
      return { ok: true, value: s };
    }
    case 'datetime': {
      const ms =
        typeof value === 'number' ? value : typeof value === 'string' ? DateTime.fromISO(value, { setZone: true }).toMillis() : NaN;
      return Number.isFinite(ms) ? { ok: true, value: new Date(ms).toISOString() } : fail(`"${def.label}" takes a date and time`);
    }
    case 'enumeration': {
      const options = (def.options ?? []).filter((o) => !o.hidden).map((o) => o.value);
      // Multiple checkboxes hold several options, separated by ';'.
      const chosen = def.fieldType === 'checkbox' ? String(value).split(';').filter(Boolean) : [String(value)];
      if (def.externalOptions || options.length === 0) return { ok: true, value: chosen.join(';') };
      const bad = chosen.filter((c) => !options.includes(c));
      return bad.length
        ? fail(`${bad.map((b) => `"${b}"`).join(', ')} ${bad.length > 1 ? 'are not options' : 'is not an option'} of "${def.label}"`)
        : { ok: true, value: chosen.join(';') };
    }
    default: {
      if (typeof value !== 'string' && typeof value !== 'number') return fail(`"${def.label}" takes text`);
      const s = String(value);
      return s.length > MAX_TEXT_LENGTH ? fail(`"${def.label}" takes at most ${MAX_TEXT_LENGTH} characters`) : { ok: true, value: s };
    }
  }
}
