/**
 * The frame of a resource's page (a stream, a delivery stream, an application): a breadcrumb back
 * to its list, the name with its status badge and the page's actions, the error of the describe
 * call, and the content once the resource is described. `useSettlingLoader` describes the
 * resource and describes it again every moment while it is in a passing status (CREATING,
 * UPDATING…), so the page settles by itself. `ConfirmDelete` asks once more, inline, rather than
 * with a browser dialog.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { linkTo } from '../router.js';
import { ErrorBanner, Loading, StatusBadge, useAction, useLoader, type Loaded } from './ui.js';

/** How often a resource in a passing status is described again. */
const settlingPollMs = 700;

/** `useLoader`, loading again after `settlingPollMs` while `settling(data)` holds. */
export function useSettlingLoader<T>(
  load: () => Promise<T>,
  keys: readonly unknown[],
  settling: (data: T) => boolean,
): Loaded<T> {
  const loaded = useLoader(load, keys);
  const passing = loaded.data !== undefined && settling(loaded.data);
  useEffect(() => {
    if (!passing || loaded.loading) return undefined;
    const timer = setTimeout(loaded.reload, settlingPollMs);
    return () => clearTimeout(timer);
  }, [passing, loaded.loading, loaded.data]);
  return loaded;
}

export function DetailPage<T>({
  id,
  parent,
  name,
  loaded,
  status,
  errorTitle,
  actions,
  children,
}: {
  /** Prefix of the heading's id (`<id>-title`), which names the page's section. */
  id: string;
  /** The list this resource belongs to. */
  parent: { readonly href: string; readonly label: string };
  name: string;
  loaded: Loaded<T>;
  status: (data: T) => string | undefined;
  errorTitle: string;
  /** The buttons beside the title, once described. */
  actions: (data: T) => ComponentChildren;
  /** The page's content, once described. */
  children: (data: T) => ComponentChildren;
}) {
  const data = loaded.data;
  return (
    <section aria-labelledby={`${id}-title`}>
      <p class="breadcrumb">
        <a href={parent.href} onClick={linkTo(parent.href)}>
          {parent.label}
        </a>{' '}
        › {name}
      </p>
      <div class="page-header">
        <h1 id={`${id}-title`}>
          {name} {data !== undefined && <StatusBadge status={status(data)} />}
        </h1>
        {data !== undefined && actions(data)}
      </div>
      <ErrorBanner error={loaded.error} title={errorTitle} />
      {data === undefined ? loaded.loading && <Loading /> : children(data)}
    </section>
  );
}

export function ConfirmDelete({
  prompt,
  confirmLabel,
  onDelete,
}: {
  /** The question asked, e.g. "Delete orders and all its records?". */
  prompt: string;
  /** The confirming button, e.g. "Delete stream". */
  confirmLabel: string;
  /** Deletes, then leaves the page; an error is shown beside the buttons. */
  onDelete: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (!confirming) {
    return (
      <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div class="actions confirm" role="group" aria-label="Confirm deletion">
      <span>{prompt}</span>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <button
        type="button"
        class="button-danger"
        disabled={action.running}
        onClick={() => void action.run(onDelete)}
      >
        {confirmLabel}
      </button>
      <ErrorBanner error={action.error} />
    </div>
  );
}
