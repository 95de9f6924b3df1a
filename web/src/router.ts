/**
 * A small history-API router: the path is the state. Links call `navigate` so the page never
 * reloads; the server answers any console path with index.html, so reloads and bookmarks work.
 */
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentPath()) return;
  if (options.replace === true) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function currentPath(): string {
  return window.location.pathname + window.location.search;
}

/** The current path, re-rendering on navigation and on the browser's back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = (): void => setPath(currentPath());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** The `onClick` of an anchor that should navigate in place (modified clicks open a new tab). */
export function linkTo(path: string): (event: MouseEvent) => void {
  return (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
}

export function streamPath(streamName: string, tab?: string): string {
  const base = `/streams/${encodeURIComponent(streamName)}`;
  return tab === undefined ? base : `${base}/${tab}`;
}

export function applicationPath(applicationName: string, tab?: string): string {
  const base = `/analytics/${encodeURIComponent(applicationName)}`;
  return tab === undefined ? base : `${base}/${tab}`;
}
