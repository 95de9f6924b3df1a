/**
 * The views of a detail page (a stream, a delivery stream, an application): a bar of links, one
 * per view, each with its own URL (so a view can be bookmarked and the browser's back button
 * works), and the current view's panel, a region named after it. Links are ordinary links:
 * Tab reaches each, Enter opens it, and the current one is marked `aria-current="page"`.
 */
import type { ComponentChildren } from 'preact';
import { linkTo } from '../router.js';

export interface ViewTab {
  readonly id: string;
  readonly label: string;
}

export function TabbedViews({
  label,
  tabs,
  current,
  pathOf,
  children,
}: {
  /** What the bar is called for assistive technology, e.g. "Stream views". */
  label: string;
  tabs: readonly ViewTab[];
  current: string;
  /** The URL of a view. */
  pathOf: (id: string) => string;
  /** The current view's content. */
  children: ComponentChildren;
}) {
  return (
    <>
      <nav class="tabs" aria-label={label}>
        {tabs.map((item) => (
          <a
            key={item.id}
            aria-current={current === item.id ? 'page' : undefined}
            href={pathOf(item.id)}
            onClick={linkTo(pathOf(item.id))}
          >
            {item.label}
          </a>
        ))}
      </nav>
      <div
        class="tab-panel"
        aria-label={tabs.find((item) => item.id === current)?.label ?? current}
        role="region"
      >
        {children}
      </div>
    </>
  );
}
