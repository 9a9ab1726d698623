// The app's routes, read from its Express router stack: a new endpoint is in this list (and so in
// every suite that walks it) the day it is mounted, with no list to keep up to date by hand.
import type { Express } from 'express';

export type RouteEntry = { method: string; path: string };

type Layer = { name?: string; rawPath?: unknown; route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

function walk(stack: Layer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

/** Every method and path the app answers, in mounting order. */
export function routeTable(app: Express): RouteEntry[] {
  const router = (app as unknown as { router?: { stack: Layer[] } }).router;
  if (!router) throw new Error('This Express app has no router stack to read routes from.');
  const out: RouteEntry[] = [];
  walk(router.stack, '', out);
  return out;
}

/** The route's path with each `:param` replaced by `fill(name)`. */
export function fillPath(path: string, fill: (name: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => fill(name));
}
