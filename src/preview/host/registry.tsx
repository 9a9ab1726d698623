// Replaces @hubspot/ui-extensions' remote component registry in the preview bundle (bundle.ts).
// The SDK creates every component through this registry by name ('Button', 'Tabs',
// 'DropdownButtonItem', 'PageLink', 'CrmActionButton'…); instead of a remote-ui component sent to
// HubSpot's renderer, each name becomes a React DOM component from RENDERINGS. A name without a
// rendering, a prop a rendering does not declare, or a value it does not know is a preview error:
// shown on the page and logged to the console, never dropped.
import { useEffect, type ComponentType, type ReactNode } from 'react';
import { RENDERINGS, type Issue } from './components';
import { hostStore } from './store';

/** The component name a registry component was created for (the Tabs rendering reads it). */
export const COMPONENT_NAME = Symbol.for('tiller-preview.component-name');

type Named = ComponentType<Record<string, unknown>> & { [COMPONENT_NAME]?: string };

// Props every component takes and no rendering needs to declare.
const ALWAYS = new Set(['children', 'testId', 'key']);

function HubSpotComponent({ name, props }: { name: string; props: Record<string, unknown> }) {
  const rendering = RENDERINGS[name];
  const issues: string[] = [];
  let content: ReactNode;
  if (!rendering) {
    issues.push(`<${name}> has no rendering in the preview (add it to src/preview/host/components.tsx).`);
    content = props.children as ReactNode;
  } else {
    for (const key of Object.keys(props)) {
      if (!ALWAYS.has(key) && !rendering.props.includes(key)) issues.push(`<${name}> prop "${key}" is not rendered by the preview.`);
    }
    const issue: Issue = (message) => issues.push(`<${name}> ${message}`);
    content = rendering.render(props, issue);
  }
  const key = issues.join('\n');
  useEffect(() => {
    for (const message of key ? key.split('\n') : []) hostStore.reportError(message);
  }, [key]);
  if (!issues.length) return <>{content}</>;
  return (
    <div className="pv-unsupported" data-preview-error={name}>
      <p className="pv-unsupported-label">{issues.join(' ')}</p>
      {content}
    </div>
  );
}

type Options = { fragmentProps?: string[]; compoundComponentProperties?: Record<string, unknown> };

/** Same shape as the SDK's createRemoteComponentRegistry (shared.synced/utils). */
export const createRemoteComponentRegistry = () => {
  const names = new Map<unknown, string>();
  const fragmentProps = new Map<string, string[]>();
  const create = (name: string, options: Options = {}): Named => {
    const component: Named = (props) => <HubSpotComponent name={name} props={props} />;
    component.displayName = name;
    component[COMPONENT_NAME] = name;
    names.set(component, name);
    fragmentProps.set(name, options.fragmentProps ?? []);
    return component;
  };
  return {
    getComponentName: (component: unknown) => names.get(component) ?? null,
    isAllowedComponentName: (name: string) => fragmentProps.has(name),
    isComponentFragmentProp: (name: string, prop: string) => fragmentProps.get(name)?.includes(prop) ?? false,
    getComponentFragmentPropNames: (name: string) => fragmentProps.get(name) ?? [],
    createAndRegisterRemoteReactComponent: (name: string, options: Options = {}) => create(name, options),
    createAndRegisterRemoteCompoundReactComponent: (name: string, options: Options) =>
      Object.assign(create(name, options), options.compoundComponentProperties),
  };
};
