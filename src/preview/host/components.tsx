// HTML renderings of the @hubspot/ui-extensions components Tiller uses, with CSS (preview.css)
// after HubSpot's design system: Avenir-style type at 14/24, obsidian text, koala borders,
// calypso links. Each rendering lists the props it renders; registry.tsx turns any other prop,
// or a value `pick` does not know, into a preview error. Prop types come from the SDK's .d.ts.
import {
  Children,
  Fragment,
  createContext,
  isValidElement,
  useContext,
  useEffect,
  useId,
  useState,
  type CSSProperties,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from 'react';
import type {
  AccordionProps,
  AlertProps,
  BarChartProps,
  BoxProps,
  ButtonProps,
  ButtonRowProps,
  CheckboxProps,
  CrmActionButtonProps,
  CrmActionLinkProps,
  DescriptionListItemProps,
  DescriptionListProps,
  DividerProps,
  LoadingButtonProps,
  DateInputProps,
  TimeInputProps,
  ProgressBarProps,
  TextAreaProps,
  ToggleProps,
  DropdownButtonItemProps,
  DropdownProps,
  EmptyStateProps,
  ErrorStateProps,
  FlexProps,
  HeadingProps,
  InlineProps,
  InputProps,
  LineChartProps,
  LinkProps,
  ListProps,
  LoadingSpinnerProps,
  NumberInputProps,
  ScoreProps,
  SelectProps,
  SpacerProps,
  StatisticsItemProps,
  StatisticsProps,
  StatisticsTrendProps,
  StatusTagProps,
  TabProps,
  TableCellProps,
  TableElementProps,
  TableHeaderProps,
  TableProps,
  TabsProps,
  TagProps,
  TextProps,
  TileProps,
} from '@hubspot/ui-extensions';
import type { PageLinkProps } from '@hubspot/ui-extensions/pages';
import { Chart } from './charts';
import { frame, navigatePage, resolvePagePath } from './navigation';
import { hostStore } from './store';

export type Issue = (message: string) => void;
export type Rendering = { props: readonly string[]; render: (props: Record<string, unknown>, issue: Issue) => ReactNode };

type KeysOf<P> = P extends unknown ? Exclude<keyof P, 'children' | 'testId'> & string : never;

function rendering<P>(props: readonly KeysOf<P>[], render: (p: P, issue: Issue) => ReactNode): Rendering {
  return { props, render: render as unknown as Rendering['render'] };
}

/** The rendering of a prop value; an unknown value is a preview error, never a silent default. */
function pick<T>(issue: Issue, prop: string, value: unknown, table: Record<string, T>, fallback: string): T {
  if (value === undefined) return table[fallback]!;
  const hit = table[String(value)];
  if (hit === undefined) {
    issue(`prop "${prop}" value ${JSON.stringify(value)} is not rendered by the preview.`);
    return table[fallback]!;
  }
  return hit;
}

const DISTANCE: Record<string, number> = {
  flush: 0,
  'extra-small': 4,
  xs: 4,
  small: 8,
  sm: 8,
  medium: 16,
  md: 16,
  large: 24,
  lg: 24,
  'extra-large': 32,
  xl: 32,
};
const SIZE: Record<string, 'xs' | 'sm' | 'md'> = { 'extra-small': 'xs', xs: 'xs', small: 'sm', sm: 'sm', medium: 'md', md: 'md' };
const JUSTIFY: Record<string, string> = {
  start: 'flex-start',
  end: 'flex-end',
  center: 'center',
  around: 'space-around',
  between: 'space-between',
};
const ALIGN: Record<string, string> = {
  start: 'flex-start',
  end: 'flex-end',
  center: 'center',
  baseline: 'baseline',
  stretch: 'stretch',
  auto: 'auto',
};

/** The event HubSpot passes to onClick handlers (ExtensionEvent), and the reactions argument. */
function extensionEvent(e: MouseEvent<HTMLElement>) {
  return { type: e.type, bubbles: e.bubbles, timeStamp: e.timeStamp, id: e.currentTarget.id };
}
const reactions = {
  openPanel: (id: string) => hostStore.log('action', 'info', `reactions.openPanel(${JSON.stringify(id)})`),
  closePanel: (id: string) => hostStore.log('action', 'info', `reactions.closePanel(${JSON.stringify(id)})`),
  openModal: (id: string) => hostStore.log('action', 'info', `reactions.openModal(${JSON.stringify(id)})`),
  closeModal: (id: string) => hostStore.log('action', 'info', `reactions.closeModal(${JSON.stringify(id)})`),
};
type ClickHandler = ((event: ReturnType<typeof extensionEvent>, r: typeof reactions) => unknown) | (() => unknown) | undefined;
function click(handler: ClickHandler) {
  return handler
    ? (e: MouseEvent<HTMLElement>) => void (handler as (ev: unknown, r: unknown) => unknown)(extensionEvent(e), reactions)
    : undefined;
}

function hrefOf(href: LinkProps['href'] | undefined): { url: string; external: boolean } | null {
  if (href === undefined) return null;
  return typeof href === 'string' ? { url: href, external: !href.startsWith('/') } : { url: href.url, external: href.external ?? false };
}

/** Children as a flat list of elements and text (fragments opened, false and null dropped). */
function flatten(children: ReactNode): ReactNode[] {
  const out: ReactNode[] = [];
  Children.forEach(children, (child) => {
    if (isValidElement<{ children?: ReactNode }>(child) && child.type === Fragment) out.push(...flatten(child.props.children));
    else if (child !== null && child !== undefined && child !== false && child !== true) out.push(child);
  });
  return out;
}

function componentNameOf(node: ReactNode): string | undefined {
  if (!isValidElement(node) || typeof node.type === 'string') return undefined;
  return (node.type as unknown as { [k: symbol]: string | undefined })[Symbol.for('tiller-preview.component-name')];
}

function FieldShell({
  id,
  label,
  required,
  description,
  tooltip,
  error,
  validationMessage,
  children,
}: {
  id: string;
  label?: string;
  required?: boolean;
  description?: string;
  tooltip?: string;
  error?: boolean;
  validationMessage?: string;
  children: ReactNode;
}) {
  return (
    <div className={`hs-field${error ? ' hs-field-error' : ''}`}>
      {label ? (
        <label className="hs-field-label" htmlFor={id}>
          {label}
          {required ? (
            <span className="hs-required" aria-hidden="true">
              {' '}
              *
            </span>
          ) : null}
          {tooltip ? (
            <span className="hs-tooltip" title={tooltip} aria-label={tooltip}>
              {' '}
              ⓘ
            </span>
          ) : null}
        </label>
      ) : null}
      {description ? (
        <p className="hs-field-description" id={`${id}-description`}>
          {description}
        </p>
      ) : null}
      {children}
      {validationMessage ? (
        <p className="hs-field-validation" id={`${id}-validation`}>
          {validationMessage}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, description?: string, validationMessage?: string): string | undefined {
  const ids = [description ? `${id}-description` : '', validationMessage ? `${id}-validation` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function TextInput(p: InputProps) {
  const id = useId();
  const [draft, setDraft] = useState(p.value ?? p.defaultValue ?? '');
  useEffect(() => {
    if (p.value !== undefined) setDraft(p.value);
  }, [p.value]);
  return (
    <FieldShell id={id} {...p}>
      <input
        id={id}
        className="hs-input"
        type={p.type ?? 'text'}
        name={p.name}
        value={draft}
        placeholder={p.placeholder}
        required={p.required}
        readOnly={p.readOnly}
        aria-invalid={p.error || undefined}
        aria-describedby={describedBy(id, p.description, p.validationMessage)}
        data-testid={p.testId}
        onChange={(e) => {
          setDraft(e.target.value);
          p.onInput?.(e.target.value);
        }}
        onBlur={(e) => {
          p.onBlur?.(e.target.value);
          p.onChange?.(e.target.value);
        }}
        onFocus={(e) => p.onFocus?.(e.target.value)}
      />
    </FieldShell>
  );
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** HubSpot's BaseDate (month from 0) as an <input type="date"> value, and back. */
const dateText = (d: DateInputProps['value'] | null | undefined) => (d ? `${d.year}-${pad2(d.month + 1)}-${pad2(d.date)}` : '');
const dateOf = (text: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? { year: Number(m[1]), month: Number(m[2]) - 1, date: Number(m[3]), formattedDate: text } : null;
};

function DateField(p: DateInputProps & { issue: Issue }) {
  const id = useId();
  const [draft, setDraft] = useState(dateText(p.value ?? p.defaultValue));
  useEffect(() => {
    if (p.value !== undefined) setDraft(dateText(p.value));
  }, [p.value]);
  pick(p.issue, 'format', p.format, { 'YYYY-MM-DD': 1, L: 1, LL: 1, ll: 1, short: 1, long: 1, medium: 1, standard: 1 }, 'short');
  pick(p.issue, 'timezone', p.timezone, { userTz: 1, portalTz: 1 }, 'userTz');
  return (
    <FieldShell id={id} {...p}>
      <input
        id={id}
        className="hs-input"
        type="date"
        name={p.name}
        value={draft}
        required={p.required}
        readOnly={p.readOnly}
        min={dateText(p.min) || undefined}
        max={dateText(p.max) || undefined}
        aria-invalid={p.error || undefined}
        aria-describedby={describedBy(id, p.description, p.validationMessage)}
        data-testid={p.testId}
        onChange={(e) => {
          setDraft(e.target.value);
          p.onChange?.(dateOf(e.target.value) as never);
        }}
        onBlur={(e) => p.onBlur?.(dateOf(e.target.value) as never)}
        onFocus={(e) => p.onFocus?.(dateOf(e.target.value) as never)}
      />
    </FieldShell>
  );
}

const timeText = (t: TimeInputProps['value'] | null | undefined) => (t ? `${pad2(t.hours)}:${pad2(t.minutes)}` : '');
const timeOf = (text: string) => {
  const m = /^(\d{2}):(\d{2})/.exec(text);
  return m ? { hours: Number(m[1]), minutes: Number(m[2]) } : null;
};

function TimeField(p: TimeInputProps & { issue: Issue }) {
  const id = useId();
  const [draft, setDraft] = useState(timeText(p.value ?? p.defaultValue));
  useEffect(() => {
    if (p.value !== undefined) setDraft(timeText(p.value));
  }, [p.value]);
  pick(p.issue, 'timezone', p.timezone, { userTz: 1, portalTz: 1 }, 'userTz');
  return (
    <FieldShell id={id} {...p}>
      <input
        id={id}
        className="hs-input"
        type="time"
        name={p.name}
        value={draft}
        required={p.required}
        readOnly={p.readOnly}
        min={timeText(p.min) || undefined}
        max={timeText(p.max) || undefined}
        step={p.interval ? p.interval * 60 : undefined}
        aria-invalid={p.error || undefined}
        aria-describedby={describedBy(id, p.description, p.validationMessage)}
        data-testid={p.testId}
        onChange={(e) => {
          setDraft(e.target.value);
          const t = timeOf(e.target.value);
          if (t) p.onChange?.(t);
        }}
        onBlur={(e) => p.onBlur?.(timeOf(e.target.value) as never)}
        onFocus={(e) => p.onFocus?.(timeOf(e.target.value) as never)}
      />
    </FieldShell>
  );
}

function NumberField(p: NumberInputProps & { issue: Issue }) {
  const id = useId();
  const show = (v: number | undefined) =>
    v === undefined || Number.isNaN(v) ? '' : p.formatStyle === 'percentage' ? String(v * 100) : String(v);
  const [draft, setDraft] = useState(show(p.value ?? p.defaultValue));
  useEffect(() => {
    if (p.value !== undefined) setDraft(show(p.value));
  }, [p.value]);
  const parse = (text: string) => {
    const n = Number(text);
    const v = p.formatStyle === 'percentage' ? n / 100 : n;
    return p.precision !== undefined ? Number(v.toFixed(p.precision)) : v;
  };
  pick(p.issue, 'formatStyle', p.formatStyle, { decimal: 1, percentage: 1 }, 'decimal');
  const align = pick(p.issue, 'textAlign', p.textAlign, { left: 'left', right: 'right' } as Record<string, 'left' | 'right'>, 'left');
  return (
    <FieldShell id={id} {...p}>
      <span className="hs-number">
        <input
          id={id}
          className="hs-input"
          type="number"
          inputMode="decimal"
          name={p.name}
          value={draft}
          placeholder={p.placeholder}
          required={p.required}
          readOnly={p.readOnly}
          min={p.min}
          max={p.max}
          step={p.precision !== undefined ? 10 ** -p.precision : 'any'}
          style={{ textAlign: align }}
          aria-invalid={p.error || undefined}
          aria-describedby={describedBy(id, p.description, p.validationMessage)}
          data-testid={p.testId}
          onChange={(e) => {
            setDraft(e.target.value);
            if (e.target.value !== '') p.onInput?.(parse(e.target.value));
          }}
          onBlur={(e) => {
            const v = parse(e.target.value);
            p.onBlur?.(v);
            if (e.target.value !== '') p.onChange?.(v);
          }}
          onFocus={(e) => p.onFocus?.(parse(e.target.value))}
        />
        {p.formatStyle === 'percentage' ? (
          <span className="hs-number-suffix" aria-hidden="true">
            %
          </span>
        ) : null}
      </span>
    </FieldShell>
  );
}

function SelectField(p: SelectProps & { issue: Issue }) {
  const id = useId();
  const variant = pick(p.issue, 'variant', p.variant, { input: 'input', transparent: 'transparent' }, 'input');
  const index = p.options.findIndex((o) => o.value === p.value);
  return (
    <FieldShell id={id} {...p}>
      <select
        id={id}
        className={`hs-select hs-select-${variant}`}
        name={p.name}
        value={index >= 0 ? String(index) : ''}
        required={p.required}
        disabled={p.readOnly}
        aria-label={p.label ? undefined : (p.placeholder ?? p.name ?? 'Select')}
        aria-invalid={p.error || undefined}
        aria-describedby={describedBy(id, p.description, p.validationMessage)}
        data-testid={p.testId}
        onChange={(e) => {
          const option = p.options[Number(e.target.value)];
          if (option) p.onChange?.(option.value);
          if (option) p.onInput?.(String(option.value));
        }}
      >
        {index < 0 ? (
          <option value="" disabled>
            {p.placeholder ?? 'Select an option'}
          </option>
        ) : null}
        {p.options.map((o, i) => (
          <option key={`${i}-${String(o.value)}`} value={String(i)}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

function TextAreaField(p: TextAreaProps & { issue: Issue }) {
  const id = useId();
  const [draft, setDraft] = useState(p.value ?? p.defaultValue ?? '');
  useEffect(() => {
    if (p.value !== undefined) setDraft(p.value);
  }, [p.value]);
  const resize = pick(
    p.issue,
    'resize',
    p.resize,
    { vertical: 'vertical', horizontal: 'horizontal', both: 'both', none: 'none' } as Record<string, CSSProperties['resize']>,
    'vertical',
  );
  return (
    <FieldShell id={id} {...p}>
      <textarea
        id={id}
        className="hs-input hs-textarea"
        name={p.name}
        value={draft}
        placeholder={p.placeholder}
        required={p.required}
        readOnly={p.readOnly}
        rows={p.rows}
        cols={p.cols}
        maxLength={p.maxLength}
        style={{ resize }}
        aria-invalid={p.error || undefined}
        aria-describedby={describedBy(id, p.description, p.validationMessage)}
        data-testid={p.testId}
        onChange={(e) => {
          setDraft(e.target.value);
          p.onInput?.(e.target.value);
        }}
        onBlur={(e) => {
          p.onBlur?.(e.target.value);
          p.onChange?.(e.target.value);
        }}
        onFocus={(e) => p.onFocus?.(e.target.value)}
      />
    </FieldShell>
  );
}

function CheckboxField(p: CheckboxProps & { issue: Issue }) {
  const [own, setOwn] = useState(p.initialIsChecked ?? false);
  const checked = p.checked ?? own;
  const readOnly = p.readOnly ?? p.readonly;
  pick(p.issue, 'variant', p.variant, { default: 1, small: 1 }, 'default');
  pick(p.issue, 'size', p.size, { sm: 1, small: 1, md: 1, medium: 1, default: 1 }, 'default');
  return (
    <label className={`hs-checkbox${p.inline ? ' hs-inline' : ''}`} data-testid={p.testId}>
      <input
        type="checkbox"
        name={p.name}
        value={p.value}
        checked={checked}
        disabled={readOnly}
        aria-label={p['aria-label']}
        onChange={(e) => {
          setOwn(e.target.checked);
          p.onChange?.(e.target.checked, p.value ?? '');
        }}
      />
      <span>
        {p.children}
        {p.description ? <span className="hs-field-description">{p.description}</span> : null}
      </span>
    </label>
  );
}

function ToggleField(p: ToggleProps & { issue: Issue }) {
  const [own, setOwn] = useState(p.initialIsChecked ?? false);
  const checked = p.checked ?? own;
  const display = pick(p.issue, 'labelDisplay', p.labelDisplay, { inline: 'inline', top: 'top', hidden: 'hidden' }, 'inline');
  pick(p.issue, 'size', p.size, { ...SIZE, default: 'md' }, 'default');
  return (
    <label className={`hs-toggle hs-toggle-${display}`} data-testid={p.testId}>
      <span className={display === 'hidden' ? 'hs-sr-only' : 'hs-field-label'}>{p.label}</span>
      <span className="hs-toggle-row">
        <input
          type="checkbox"
          role="switch"
          name={p.name}
          checked={checked}
          disabled={p.readOnly ?? p.readonly}
          onChange={(e) => {
            setOwn(e.target.checked);
            p.onChange?.(e.target.checked);
          }}
        />
        <span className="hs-toggle-track" aria-hidden="true">
          <span className="hs-toggle-thumb" />
        </span>
        {checked ? (p.textChecked ?? 'On') : (p.textUnchecked ?? 'Off')}
      </span>
    </label>
  );
}

function Accordion(p: AccordionProps & { issue: Issue }) {
  const [openState, setOpen] = useState(p.defaultOpen ?? false);
  const open = p.open ?? openState;
  const id = useId();
  const size = pick(p.issue, 'size', p.size, SIZE, 'sm');
  return (
    <div className={`hs-accordion hs-accordion-${size}`} data-testid={p.testId}>
      <button
        type="button"
        className="hs-accordion-toggle"
        aria-expanded={open}
        aria-controls={id}
        disabled={p.disabled}
        onClick={() => {
          setOpen(!open);
          p.onClick?.();
        }}
      >
        <span className="hs-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>{' '}
        {p.title}
      </button>
      <div id={id} className="hs-accordion-body" hidden={!open}>
        {p.children}
      </div>
    </div>
  );
}

function Dropdown(p: DropdownProps & { issue: Issue }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const variant = pick(
    p.issue,
    'variant',
    p.variant,
    { primary: 'primary', secondary: 'secondary', transparent: 'transparent' },
    'secondary',
  );
  const size = pick(p.issue, 'buttonSize', p.buttonSize, SIZE, 'md');
  return (
    <div className="hs-dropdown" data-testid={p.testId} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        className={`hs-button hs-button-${variant} hs-button-${size}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        disabled={p.disabled}
        onClick={() => setOpen(!open)}
      >
        {p.buttonText ?? 'More'} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div id={id} className="hs-dropdown-menu" role="menu" onClick={() => setOpen(false)}>
          {(p.options ?? []).map((o, i) => (
            <button key={i} type="button" role="menuitem" className="hs-dropdown-item" onClick={() => o.onClick?.()}>
              {o.label}
            </button>
          ))}
          {p.children}
        </div>
      ) : null}
    </div>
  );
}

const InTabs = createContext(false);

function Tabs(p: TabsProps & { issue: Issue }) {
  const tabs = flatten(p.children);
  for (const t of tabs)
    if (componentNameOf(t) !== 'Tab')
      p.issue(`child ${isValidElement(t) ? `<${componentNameOf(t) ?? 'element'}>` : JSON.stringify(t)} is not a <Tab>.`);
  const ids = tabs.map((t, i) => (isValidElement<TabProps>(t) ? (t.props.tabId ?? i) : i));
  const [own, setOwn] = useState<string | number | undefined>(p.defaultSelected ?? ids[0]);
  const selected = p.selected ?? own;
  const base = useId();
  const variant = pick(p.issue, 'variant', p.variant, { default: 'default', enclosed: 'enclosed' }, 'default');
  return (
    <div className={`hs-tabs hs-tabs-${variant}${p.fill ? ' hs-tabs-fill' : ''}`} data-testid={p.testId}>
      <div className="hs-tablist" role="tablist">
        {tabs.map((t, i) => {
          const props = isValidElement<TabProps>(t) ? t.props : ({} as TabProps);
          const id = ids[i]!;
          const isSelected = String(id) === String(selected);
          return (
            <button
              key={String(id)}
              type="button"
              role="tab"
              id={`${base}-tab-${i}`}
              aria-selected={isSelected}
              aria-controls={`${base}-panel-${i}`}
              tabIndex={isSelected ? 0 : -1}
              disabled={props.disabled}
              title={props.tooltip}
              className="hs-tab"
              onClick={() => {
                setOwn(id);
                (p.onSelectedChange as ((v: string | number) => void) | undefined)?.(id);
              }}
            >
              {props.title}
            </button>
          );
        })}
      </div>
      <InTabs.Provider value={true}>
        {/* HubSpot mounts every tab's content and shows the selected one: so does the preview. */}
        {tabs.map((t, i) => (
          <div
            key={String(ids[i])}
            role="tabpanel"
            id={`${base}-panel-${i}`}
            aria-labelledby={`${base}-tab-${i}`}
            hidden={String(ids[i]) !== String(selected)}
            className="hs-tabpanel"
          >
            {t}
          </div>
        ))}
      </InTabs.Provider>
    </div>
  );
}

function Tab(p: TabProps & { issue: Issue }) {
  if (!useContext(InTabs)) p.issue('is outside <Tabs>.');
  if (p.tooltipPlacement !== undefined)
    pick(p.issue, 'tooltipPlacement', p.tooltipPlacement, { top: 1, bottom: 1, left: 1, right: 1 }, 'top');
  return <div data-testid={p.testId}>{p.children}</div>;
}

function Table(p: TableProps & { issue: Issue }) {
  const density = pick(p.issue, 'density', p.density, { default: 'default', condensed: 'condensed', compact: 'compact' }, 'default');
  const classes = `hs-table hs-table-${density}${p.bordered === false ? '' : ' hs-table-bordered'}${p.flush ? ' hs-table-flush' : ''}`;
  return (
    // A wide table scrolls sideways: the region takes keyboard focus so it can be scrolled without a mouse.
    <div className="hs-table-wrap" data-testid={p.testId} tabIndex={0} role="region" aria-label="Table">
      <table className={classes}>{p.children}</table>
      {p.paginated ? <Pagination {...p} /> : null}
    </div>
  );
}

function Pagination(p: Extract<TableProps, { paginated: true }>) {
  const page = p.page ?? 1;
  const max = p.maxVisiblePageButtons ?? 5;
  const first = Math.max(1, Math.min(page - Math.floor(max / 2), p.pageCount - max + 1));
  const pages = Array.from({ length: Math.min(max, p.pageCount) }, (_, i) => first + i);
  return (
    <nav className="hs-pagination" aria-label="Pagination">
      {p.showFirstLastButtons ? (
        <button type="button" disabled={page <= 1} onClick={() => p.onPageChange(1)}>
          First
        </button>
      ) : null}
      <button type="button" disabled={page <= 1} onClick={() => p.onPageChange(page - 1)} aria-label="Previous page">
        ‹{p.showButtonLabels === false ? '' : ' Prev'}
      </button>
      {pages.map((n) => (
        <button
          key={n}
          type="button"
          aria-current={n === page ? 'page' : undefined}
          className={n === page ? 'hs-page-current' : undefined}
          onClick={() => p.onPageChange(n)}
        >
          {n}
        </button>
      ))}
      <button type="button" disabled={page >= p.pageCount} onClick={() => p.onPageChange(page + 1)} aria-label="Next page">
        {p.showButtonLabels === false ? '' : 'Next '}›
      </button>
      {p.showFirstLastButtons ? (
        <button type="button" disabled={page >= p.pageCount} onClick={() => p.onPageChange(p.pageCount)}>
          Last
        </button>
      ) : null}
    </nav>
  );
}

function cellStyle(issue: Issue, align: unknown, width: unknown): CSSProperties {
  const style: CSSProperties = {
    textAlign: pick(
      issue,
      'align',
      align,
      { left: 'left', center: 'center', right: 'right' } as Record<string, 'left' | 'center' | 'right'>,
      'left',
    ),
  };
  if (typeof width === 'number') style.width = `${width}px`;
  else if (width === 'min') style.width = '1%';
  else if (width !== undefined && width !== 'auto' && width !== 'max')
    issue(`prop "width" value ${JSON.stringify(width)} is not rendered by the preview.`);
  return style;
}

const SCORE_COLOURS = [
  { below: 40, colour: '#f2545b', label: 'low' },
  { below: 70, colour: '#f5c26b', label: 'medium' },
  { below: Infinity, colour: '#00bda5', label: 'high' },
];

function Illustration({ name }: { name: string }) {
  // A neutral spot illustration: HubSpot's artwork is not public; the preview shows where it sits.
  return (
    <svg className="hs-illustration" viewBox="0 0 120 96" aria-hidden="true" focusable="false" data-image={name}>
      <ellipse cx="60" cy="86" rx="44" ry="6" fill="#eaf0f6" />
      <rect x="30" y="18" width="60" height="58" rx="6" fill="#ffffff" stroke="#cbd6e2" strokeWidth="2" />
      <rect x="40" y="30" width="40" height="6" rx="3" fill="#ff7a59" />
      <rect x="40" y="44" width="32" height="5" rx="2.5" fill="#cbd6e2" />
      <rect x="40" y="56" width="24" height="5" rx="2.5" fill="#cbd6e2" />
    </svg>
  );
}

function heading(children: ReactNode, className: string, testId?: string): ReactElement {
  const Tag = `h${frame.headingLevel}` as 'h2' | 'h3';
  return (
    <Tag className={className} data-testid={testId}>
      {children}
    </Tag>
  );
}

const BUTTON_VARIANTS = { primary: 'primary', secondary: 'secondary', destructive: 'destructive', transparent: 'transparent' };

export const RENDERINGS: Record<string, Rendering> = {
  Text: rendering<TextProps>(['variant', 'inline', 'format', 'truncate'], (p, issue) => {
    const variant = pick(issue, 'variant', p.variant, { bodytext: 'body', microcopy: 'micro' }, 'bodytext');
    const f = p.format ?? {};
    for (const k of Object.keys(f))
      if (!['fontWeight', 'italic', 'lineDecoration', 'textTransform'].includes(k)) issue(`format.${k} is not rendered by the preview.`);
    const style: CSSProperties = {
      fontWeight: pick(issue, 'format.fontWeight', f.fontWeight, { regular: 400, demibold: 600, bold: 700 }, 'regular'),
      fontStyle: f.italic ? 'italic' : undefined,
      textDecoration: pick(
        issue,
        'format.lineDecoration',
        f.lineDecoration,
        { none: 'none', underline: 'underline', strikethrough: 'line-through' },
        'none',
      ),
      textTransform: pick(
        issue,
        'format.textTransform',
        f.textTransform,
        { none: 'none', uppercase: 'uppercase', lowercase: 'lowercase', capitalize: 'capitalize', sentenceCase: 'none' } as Record<
          string,
          CSSProperties['textTransform']
        >,
        'none',
      ),
    };
    let title: string | undefined;
    if (p.truncate) {
      Object.assign(style, {
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
        display: p.inline ? 'inline-block' : 'block',
      });
      if (typeof p.truncate === 'object') {
        if (p.truncate.maxWidth) style.maxWidth = `${p.truncate.maxWidth}px`;
        title = p.truncate.tooltipText;
      }
    }
    const className = `hs-text hs-text-${variant}`;
    return p.inline ? (
      <span className={className} style={style} title={title} data-testid={p.testId}>
        {p.children}
      </span>
    ) : (
      <div className={className} style={style} title={title} data-testid={p.testId}>
        {p.children}
      </div>
    );
  }),
  Heading: rendering<HeadingProps>(['inline'], (p) => heading(p.children, `hs-heading${p.inline ? ' hs-inline' : ''}`, p.testId)),
  Flex: rendering<FlexProps>(['gap', 'direction', 'justify', 'align', 'alignSelf', 'wrap'], (p, issue) => (
    <div
      className={`hs-flex${p.direction === 'column' ? ' hs-flex-column' : ''}`}
      data-testid={p.testId}
      style={{
        flexDirection: pick(
          issue,
          'direction',
          p.direction,
          { row: 'row', column: 'column' } as Record<string, CSSProperties['flexDirection']>,
          'row',
        ),
        gap: pick(issue, 'gap', p.gap, DISTANCE, 'flush'),
        justifyContent: pick(issue, 'justify', p.justify, JUSTIFY, 'start'),
        alignItems: pick(issue, 'align', p.align, ALIGN, 'stretch'),
        alignSelf: p.alignSelf === undefined ? undefined : pick(issue, 'alignSelf', p.alignSelf, ALIGN, 'auto'),
        flexWrap: p.wrap === true || p.wrap === 'wrap' ? 'wrap' : 'nowrap',
      }}
    >
      {p.children}
    </div>
  )),
  Box: rendering<BoxProps>(['alignSelf', 'flex'], (p, issue) => (
    <div
      className="hs-box"
      data-testid={p.testId}
      style={{
        alignSelf: p.alignSelf === undefined ? undefined : pick(issue, 'alignSelf', p.alignSelf, ALIGN, 'auto'),
        flex:
          typeof p.flex === 'number'
            ? p.flex
            : p.flex === undefined
              ? undefined
              : pick(issue, 'flex', p.flex, { initial: '0 1 auto', auto: '1 1 auto', none: 'none' }, 'initial'),
      }}
    >
      {p.children}
    </div>
  )),
  Inline: rendering<InlineProps>(['justify', 'align', 'gap'], (p, issue) => (
    <div
      className="hs-flex"
      data-testid={p.testId}
      style={{
        flexDirection: 'row',
        flexWrap: 'wrap',
        gap: pick(issue, 'gap', p.gap, DISTANCE, 'small'),
        justifyContent: pick(issue, 'justify', p.justify, JUSTIFY, 'start'),
        alignItems: pick(issue, 'align', p.align, ALIGN, 'center'),
      }}
    >
      {p.children}
    </div>
  )),
  Spacer: rendering<SpacerProps>(['size'], (p, issue) => (
    <div aria-hidden="true" data-testid={p.testId} style={{ height: pick(issue, 'size', p.size, DISTANCE, 'small') }} />
  )),
  Divider: rendering<DividerProps>(['size', 'distance'], (p, issue) => {
    const d = pick(issue, 'distance', p.distance ?? p.size, DISTANCE, 'small');
    return <hr className="hs-divider" data-testid={p.testId} style={{ margin: `${d}px 0` }} />;
  }),
  Tile: rendering<TileProps>(['compact', 'flush'], (p) => (
    <div className={`hs-tile${p.compact ? ' hs-tile-compact' : ''}${p.flush ? ' hs-tile-flush' : ''}`} data-testid={p.testId}>
      {p.children}
    </div>
  )),
  Alert: rendering<AlertProps>(['title', 'variant'], (p, issue) => {
    const variant = pick(
      issue,
      'variant',
      p.variant,
      { info: 'info', warning: 'warning', success: 'success', error: 'danger', danger: 'danger', tip: 'tip' },
      'info',
    );
    return (
      <div className={`hs-alert hs-alert-${variant}`} role={variant === 'danger' ? 'alert' : 'note'} data-testid={p.testId}>
        <p className="hs-alert-title">{p.title}</p>
        {p.children ? <div className="hs-alert-body">{p.children}</div> : null}
      </div>
    );
  }),
  Button: rendering<ButtonProps>(['onClick', 'href', 'disabled', 'variant', 'type', 'size', 'truncate'], (p, issue) => {
    const variant = pick(issue, 'variant', p.variant, BUTTON_VARIANTS, 'secondary');
    const size = pick(issue, 'size', p.size, SIZE, 'md');
    const className = `hs-button hs-button-${variant} hs-button-${size}${p.truncate ? ' hs-truncate' : ''}`;
    const href = hrefOf(p.href);
    if (href)
      return (
        <a
          className={className}
          href={href.url}
          target={href.external ? '_blank' : undefined}
          rel="noopener noreferrer"
          onClick={click(p.onClick)}
          data-testid={p.testId}
        >
          {p.children}
        </a>
      );
    const type = pick(
      issue,
      'type',
      p.type,
      { button: 'button', submit: 'submit', reset: 'reset' } as Record<string, 'button' | 'submit' | 'reset'>,
      'button',
    );
    return (
      <button type={type} className={className} disabled={p.disabled} onClick={click(p.onClick)} data-testid={p.testId}>
        {p.children}
      </button>
    );
  }),
  ButtonRow: rendering<ButtonRowProps>(['disableDropdown', 'dropDownButtonOptions'], (p) => (
    <div className="hs-button-row" data-testid={p.testId}>
      {p.children}
    </div>
  )),
  Link: rendering<LinkProps>(['href', 'variant', 'onClick', 'preventDefault'], (p, issue) => {
    const variant = pick(
      issue,
      'variant',
      p.variant,
      { primary: 'primary', destructive: 'destructive', light: 'light', dark: 'dark' },
      'primary',
    );
    const href = hrefOf(p.href);
    if (!href) issue('has no href (HubSpot requires one).');
    return (
      <a
        className={`hs-link hs-link-${variant}`}
        href={href?.url}
        target={href?.external ? '_blank' : undefined}
        rel="noopener noreferrer"
        data-testid={p.testId}
        onClick={(e) => {
          if (p.preventDefault) e.preventDefault();
          hostStore.log('action', 'info', `Link: HubSpot opens ${href?.url ?? '(no href)'}${href?.external ? ' in a new tab' : ''}.`);
          click(p.onClick)?.(e);
        }}
      >
        {p.children}
        {href?.external ? <span className="hs-sr-only"> (opens in a new tab)</span> : null}
      </a>
    );
  }),
  List: rendering<ListProps>(['variant'], (p, issue) => {
    const variant = pick(
      issue,
      'variant',
      p.variant,
      {
        unordered: 'unordered',
        'unordered-styled': 'unordered-styled',
        ordered: 'ordered',
        'ordered-styled': 'ordered-styled',
        inline: 'inline',
        'inline-divided': 'inline-divided',
      },
      'unordered',
    );
    const items = flatten(p.children).map((c, i) => <li key={isValidElement(c) && c.key !== null ? c.key : i}>{c}</li>);
    return variant.startsWith('ordered') ? (
      <ol className={`hs-list hs-list-${variant}`} data-testid={p.testId}>
        {items}
      </ol>
    ) : (
      <ul className={`hs-list hs-list-${variant}`} data-testid={p.testId}>
        {items}
      </ul>
    );
  }),
  LoadingSpinner: rendering<LoadingSpinnerProps>(['label', 'showLabel', 'size', 'layout'], (p, issue) => {
    const size = pick(issue, 'size', p.size, SIZE, 'sm');
    const layout = pick(issue, 'layout', p.layout, { inline: 'inline', centered: 'centered' }, 'inline');
    return (
      <div className={`hs-spinner hs-spinner-${size} hs-spinner-${layout}`} role="status" data-testid={p.testId}>
        <span className="hs-spinner-ring" aria-hidden="true" />
        <span className={p.showLabel ? 'hs-spinner-label' : 'hs-sr-only'}>{p.label}</span>
      </div>
    );
  }),
  EmptyState: rendering<EmptyStateProps>(['flush', 'title', 'layout', 'reverseOrder', 'imageWidth', 'imageName'], (p, issue) => {
    const layout = pick(issue, 'layout', p.layout, { horizontal: 'horizontal', vertical: 'vertical' }, 'horizontal');
    return (
      <div
        className={`hs-empty hs-empty-${layout}${p.reverseOrder ? ' hs-empty-reverse' : ''}${p.flush ? ' hs-empty-flush' : ''}`}
        data-testid={p.testId}
      >
        <div className="hs-empty-image" style={{ width: p.imageWidth ?? (layout === 'vertical' ? 160 : 120) }}>
          <Illustration name={p.imageName ?? 'emptyStateCharts'} />
        </div>
        <div className="hs-empty-body">
          {p.title ? <p className="hs-empty-title">{p.title}</p> : null}
          {p.children}
        </div>
      </div>
    );
  }),
  ErrorState: rendering<ErrorStateProps>(['title', 'type'], (p, issue) => {
    const type = pick(issue, 'type', p.type, { error: 'error', support: 'support', lock: 'lock' }, 'error');
    return (
      <div className={`hs-empty hs-error-state hs-error-${type}`} data-testid={p.testId}>
        <div className="hs-empty-image" style={{ width: 120 }}>
          <Illustration name={type} />
        </div>
        <div className="hs-empty-body">
          <p className="hs-empty-title">{p.title ?? 'All of our components are broken.'}</p>
          {p.children}
        </div>
      </div>
    );
  }),
  StatusTag: rendering<StatusTagProps>(['variant', 'hollow', 'onClick', 'showRemoveIcon', 'onRemoveClick'], (p, issue) => {
    const variant = pick(
      issue,
      'variant',
      p.variant,
      { danger: 'danger', warning: 'warning', info: 'info', success: 'success', default: 'default' },
      'default',
    );
    const body = (
      <>
        <span className={`hs-status-dot${p.hollow ? ' hs-status-hollow' : ''}`} aria-hidden="true" />
        {p.children}
      </>
    );
    return (
      <span className={`hs-status hs-status-${variant}`} data-testid={p.testId}>
        {p.onClick ? (
          <button type="button" className="hs-status-button" onClick={() => p.onClick?.()}>
            {body}
          </button>
        ) : (
          body
        )}
        {p.showRemoveIcon ? (
          <button type="button" className="hs-status-remove" aria-label="Remove" onClick={() => p.onRemoveClick?.()}>
            ×
          </button>
        ) : null}
      </span>
    );
  }),
  Tag: rendering<TagProps>(['variant', 'onClick', 'inline'], (p, issue) => {
    const variant = pick(
      issue,
      'variant',
      p.variant,
      { default: 'default', warning: 'warning', success: 'success', error: 'error', info: 'info' },
      'default',
    );
    const className = `hs-tag hs-tag-${variant}${p.inline ? ' hs-inline' : ''}`;
    return p.onClick ? (
      <button type="button" className={className} onClick={click(p.onClick)} data-testid={p.testId}>
        {p.children}
      </button>
    ) : (
      <span className={className} data-testid={p.testId}>
        {p.children}
      </span>
    );
  }),
  ScoreCircle: rendering<ScoreProps>(['score'], (p) => {
    const score = Math.max(0, Math.min(100, p.score));
    const band = SCORE_COLOURS.find((b) => score < b.below)!;
    const c = 2 * Math.PI * 26;
    return (
      <span className="hs-score" role="img" aria-label={`Score ${p.score} out of 100`} data-testid={p.testId}>
        <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true" focusable="false">
          <circle cx="32" cy="32" r="26" fill="none" stroke="#eaf0f6" strokeWidth="6" />
          <circle
            cx="32"
            cy="32"
            r="26"
            fill="none"
            stroke={band.colour}
            strokeWidth="6"
            strokeDasharray={`${(score / 100) * c} ${c}`}
            transform="rotate(-90 32 32)"
            strokeLinecap="round"
          />
          <text x="32" y="37" textAnchor="middle" className="hs-score-text">
            {p.score}
          </text>
        </svg>
      </span>
    );
  }),
  Statistics: rendering<StatisticsProps>([], (p) => (
    <div className="hs-statistics" data-testid={p.testId}>
      {p.children}
    </div>
  )),
  StatisticsItem: rendering<StatisticsItemProps>(['id', 'label', 'number'], (p) => (
    <div className="hs-stat" id={p.id} data-testid={p.testId}>
      <p className="hs-stat-label">{p.label}</p>
      <p className="hs-stat-number">{p.number}</p>
      {p.children ? <div className="hs-stat-trend">{p.children}</div> : null}
    </div>
  )),
  StatisticsTrend: rendering<StatisticsTrendProps>(['value', 'direction', 'color'], (p, issue) => {
    const direction = pick(issue, 'direction', p.direction, { increase: 'increase', decrease: 'decrease' }, 'increase');
    const colour = pick(issue, 'color', p.color ?? (direction === 'increase' ? 'green' : 'red'), { red: 'red', green: 'green' }, 'green');
    return (
      <span className={`hs-trend hs-trend-${colour}`} data-testid={p.testId}>
        <span aria-hidden="true">{direction === 'increase' ? '▲' : '▼'}</span>
        <span className="hs-sr-only">{direction === 'increase' ? 'Up' : 'Down'} </span>
        {p.value}
      </span>
    );
  }),
  DescriptionList: rendering<DescriptionListProps>(['direction'], (p, issue) => {
    const direction = pick(issue, 'direction', p.direction, { row: 'row', column: 'column' }, 'column');
    return (
      <dl className={`hs-dl hs-dl-${direction}`} data-testid={p.testId}>
        {p.children}
      </dl>
    );
  }),
  DescriptionListItem: rendering<DescriptionListItemProps>(['label'], (p) => (
    <div className="hs-dl-item" data-testid={p.testId}>
      <dt>{p.label}</dt>
      <dd>{p.children}</dd>
    </div>
  )),
  ProgressBar: rendering<ProgressBarProps>(
    ['title', 'aria-label', 'showPercentage', 'value', 'maxValue', 'valueDescription', 'variant', 'valueMax'],
    (p, issue) => {
      const variant = pick(issue, 'variant', p.variant, { success: 'success', danger: 'danger', warning: 'warning' }, 'success');
      const max = p.maxValue ?? p.valueMax ?? 100;
      const value = Math.max(0, Math.min(max, p.value ?? 0));
      const percent = max > 0 ? Math.round((value / max) * 100) : 0;
      return (
        <div className="hs-progress" data-testid={p.testId}>
          {p.title || p.showPercentage ? (
            <div className="hs-progress-head">
              <span className="hs-field-label">{p.title}</span>
              {p.showPercentage ? <span>{percent}%</span> : null}
            </div>
          ) : null}
          <div
            className={`hs-progress-track hs-progress-${variant}`}
            role="progressbar"
            aria-label={p['aria-label'] ?? p.title ?? 'Progress'}
            aria-valuemin={0}
            aria-valuemax={max}
            aria-valuenow={value}
            aria-valuetext={p.valueDescription}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          {p.valueDescription ? <p className="hs-field-description">{p.valueDescription}</p> : null}
        </div>
      );
    },
  ),
  Checkbox: rendering<CheckboxProps>(
    [
      'value',
      'checked',
      'readonly',
      'readOnly',
      'description',
      'name',
      'variant',
      'size',
      'onChange',
      'inline',
      'initialIsChecked',
      'aria-label',
    ],
    (p, issue) => <CheckboxField {...p} issue={issue} />,
  ),
  Toggle: rendering<ToggleProps>(
    [
      'checked',
      'readonly',
      'readOnly',
      'name',
      'size',
      'onChange',
      'initialIsChecked',
      'label',
      'labelDisplay',
      'textChecked',
      'textUnchecked',
    ],
    (p, issue) => <ToggleField {...p} issue={issue} />,
  ),
  TextArea: rendering<TextAreaProps>(
    [
      'label',
      'name',
      'value',
      'required',
      'readOnly',
      'description',
      'tooltip',
      'placeholder',
      'error',
      'defaultValue',
      'validationMessage',
      'onChange',
      'onInput',
      'onBlur',
      'onFocus',
      'cols',
      'maxLength',
      'rows',
      'resize',
    ],
    (p, issue) => <TextAreaField {...p} issue={issue} />,
  ),
  LoadingButton: rendering<LoadingButtonProps>(
    ['onClick', 'href', 'disabled', 'variant', 'type', 'size', 'truncate', 'loading', 'resultIconName'],
    (p, issue) => {
      const variant = pick(
        issue,
        'variant',
        p.variant,
        { primary: 'primary', secondary: 'secondary', destructive: 'destructive' },
        'secondary',
      );
      const size = pick(issue, 'size', p.size, SIZE, 'md');
      const type = pick(
        issue,
        'type',
        p.type,
        { button: 'button', submit: 'submit', reset: 'reset' } as Record<string, 'button' | 'submit' | 'reset'>,
        'button',
      );
      return (
        <button
          type={type}
          className={`hs-button hs-button-${variant} hs-button-${size}`}
          disabled={p.disabled || p.loading}
          aria-busy={p.loading || undefined}
          onClick={click(p.onClick)}
          data-testid={p.testId}
        >
          {p.loading ? <span className="hs-spinner-ring hs-button-spinner" aria-hidden="true" /> : null}
          {p.children}
        </button>
      );
    },
  ),
  Accordion: rendering<AccordionProps>(['title', 'defaultOpen', 'disabled', 'open', 'size', 'onClick'], (p, issue) => (
    <Accordion {...p} issue={issue} />
  )),
  Dropdown: rendering<DropdownProps>(['options', 'variant', 'buttonText', 'buttonSize', 'disabled'], (p, issue) => (
    <Dropdown {...p} issue={issue} />
  )),
  DropdownButtonItem: rendering<DropdownButtonItemProps>(['onClick'], (p) => (
    <button type="button" role="menuitem" className="hs-dropdown-item" onClick={click(p.onClick)} data-testid={p.testId}>
      {p.children}
    </button>
  )),
  Tabs: rendering<TabsProps>(['onSelectedChange', 'defaultSelected', 'selected', 'variant', 'fill'], (p, issue) => (
    <Tabs {...p} issue={issue} />
  )),
  Tab: rendering<TabProps>(['disabled', 'tabId', 'title', 'tooltip', 'tooltipPlacement'], (p, issue) => <Tab {...p} issue={issue} />),
  Table: rendering<TableProps>(
    [
      'bordered',
      'flush',
      'density',
      'paginated',
      'pageCount',
      'showButtonLabels',
      'showFirstLastButtons',
      'maxVisiblePageButtons',
      'page',
      'onPageChange',
    ],
    (p, issue) => <Table {...p} issue={issue} />,
  ),
  TableHead: rendering<TableElementProps>([], (p) => <thead data-testid={p.testId}>{p.children}</thead>),
  TableBody: rendering<TableElementProps>([], (p) => <tbody data-testid={p.testId}>{p.children}</tbody>),
  TableFooter: rendering<TableElementProps>([], (p) => <tfoot data-testid={p.testId}>{p.children}</tfoot>),
  TableRow: rendering<TableElementProps>([], (p) => <tr data-testid={p.testId}>{p.children}</tr>),
  TableHeader: rendering<TableHeaderProps>(['align', 'width', 'sortDirection', 'onSortChange', 'disabled'], (p, issue) => {
    const style = cellStyle(issue, p.align, p.width);
    if (!p.sortDirection || p.sortDirection === 'never')
      return (
        <th scope="col" style={style} data-testid={p.testId}>
          {p.children}
        </th>
      );
    const sorted = p as Extract<TableHeaderProps, { onSortChange: unknown }>;
    const next = sorted.sortDirection === 'ascending' ? 'descending' : 'ascending';
    const aria = sorted.sortDirection === 'none' ? undefined : sorted.sortDirection;
    return (
      <th scope="col" style={style} aria-sort={aria} data-testid={p.testId}>
        <button type="button" className="hs-sort" disabled={sorted.disabled} onClick={() => sorted.onSortChange(next)}>
          {p.children}{' '}
          <span aria-hidden="true">{sorted.sortDirection === 'ascending' ? '▲' : sorted.sortDirection === 'descending' ? '▼' : '↕'}</span>
        </button>
      </th>
    );
  }),
  TableCell: rendering<TableCellProps>(['align', 'width', 'colSpan'], (p, issue) => (
    <td style={cellStyle(issue, p.align, p.width)} colSpan={p.colSpan} data-testid={p.testId}>
      {p.children}
    </td>
  )),
  DateInput: rendering<DateInputProps>(
    [
      'label',
      'name',
      'value',
      'required',
      'readOnly',
      'description',
      'tooltip',
      'error',
      'defaultValue',
      'validationMessage',
      'onChange',
      'onBlur',
      'onFocus',
      'min',
      'max',
      'minValidationMessage',
      'maxValidationMessage',
      'format',
      'clearButtonLabel',
      'todayButtonLabel',
      'timezone',
    ],
    (p, issue) => <DateField {...p} issue={issue} />,
  ),
  TimeInput: rendering<TimeInputProps>(
    [
      'label',
      'name',
      'value',
      'required',
      'readOnly',
      'description',
      'tooltip',
      'error',
      'defaultValue',
      'validationMessage',
      'onChange',
      'onBlur',
      'onFocus',
      'min',
      'max',
      'interval',
      'timezone',
    ],
    (p, issue) => <TimeField {...p} issue={issue} />,
  ),
  Input: rendering<InputProps>(
    [
      'label',
      'name',
      'value',
      'required',
      'readOnly',
      'description',
      'tooltip',
      'placeholder',
      'error',
      'defaultValue',
      'validationMessage',
      'onChange',
      'onInput',
      'onBlur',
      'onFocus',
      'type',
    ],
    (p) => <TextInput {...p} />,
  ),
  NumberInput: rendering<NumberInputProps>(
    [
      'label',
      'name',
      'value',
      'required',
      'readOnly',
      'description',
      'tooltip',
      'placeholder',
      'error',
      'defaultValue',
      'validationMessage',
      'onChange',
      'onInput',
      'onBlur',
      'onFocus',
      'min',
      'max',
      'precision',
      'formatStyle',
      'textAlign',
    ],
    (p, issue) => <NumberField {...p} issue={issue} />,
  ),
  Select: rendering<SelectProps>(
    [
      'label',
      'name',
      'required',
      'readOnly',
      'description',
      'tooltip',
      'placeholder',
      'error',
      'validationMessage',
      'variant',
      'value',
      'onChange',
      'onInput',
      'options',
    ],
    (p, issue) => <SelectField {...p} issue={issue} />,
  ),
  BarChart: rendering<BarChartProps>(['data', 'axes', 'options'], (p, issue) => <Chart kind="bar" {...p} issue={issue} />),
  LineChart: rendering<LineChartProps>(['data', 'axes', 'options'], (p, issue) => <Chart kind="line" {...p} issue={issue} />),
  PageLink: rendering<PageLinkProps>(['to', 'params'], (p) => (
    <a
      className="hs-link hs-link-primary"
      href={pageHref(p.to, p.params)}
      data-testid={p.testId}
      onClick={(e) => {
        e.preventDefault();
        navigatePage(p.to, p.params);
      }}
    >
      {p.children}
    </a>
  )),
  CrmActionButton: rendering<CrmActionButtonProps>(
    ['actionType', 'actionContext', 'onError', 'variant', 'type', 'size', 'onClick', 'disabled'],
    (p, issue) => {
      const variant = pick(issue, 'variant', p.variant, BUTTON_VARIANTS, 'secondary');
      const size = pick(issue, 'size', p.size, SIZE, 'md');
      return (
        <button
          type="button"
          className={`hs-button hs-button-${variant} hs-button-${size}`}
          disabled={p.disabled}
          data-testid={p.testId}
          onClick={() => {
            hostAction(p.actionType, p.actionContext);
            p.onClick?.();
          }}
        >
          {p.children}
        </button>
      );
    },
  ),
  CrmActionLink: rendering<CrmActionLinkProps>(['actionType', 'actionContext', 'onError', 'variant', 'onClick'], (p, issue) => {
    const variant = pick(
      issue,
      'variant',
      p.variant,
      { primary: 'primary', light: 'light', dark: 'dark', destructive: 'destructive' },
      'primary',
    );
    return (
      <a
        className={`hs-link hs-link-${variant}`}
        href="#crm-action"
        data-testid={p.testId}
        onClick={(e) => {
          e.preventDefault();
          hostAction(p.actionType, p.actionContext);
          p.onClick?.();
        }}
      >
        {p.children}
      </a>
    );
  }),
};

// Textarea is the SDK's other name for TextArea.
RENDERINGS.Textarea = RENDERINGS.TextArea!;

/** The app page a PageLink goes to, as `#/path?param=value` (what the link shows on hover). */
function pageHref(to: string, params?: Record<string, string>): string {
  const target = resolvePagePath(to, params);
  const query = new URLSearchParams(target.params).toString();
  return `#${target.path}${query ? `?${query}` : ''}`;
}

/** A CRM action HubSpot would run (open a record, add a note…): logged and shown, not run. */
function hostAction(actionType: string, actionContext: unknown): void {
  const text = `CRM action ${actionType} with ${JSON.stringify(actionContext)}: HubSpot runs it; the preview only shows it.`;
  hostStore.log('action', 'info', text);
  hostStore.toast({ type: 'info', title: 'CRM action', message: text });
}
