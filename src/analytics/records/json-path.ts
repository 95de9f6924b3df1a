/**
 * The JSONPath subset of Kinesis Analytics input mappings (reference §8): `$` (the row), member
 * steps `.name` and `['name']`, indexes `[n]`, and `[0:]` (every element of an array). A path
 * whose `[0:]` is followed by more steps flattens: one row per element. Paths are case-sensitive;
 * a missing step yields undefined (NULL).
 */

export type PathStep =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'all' };

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

/** Parses a mapping; throws JsonPathError when it is not in the subset. */
export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`a mapping must start with $: ${path}`);
  const steps: PathStep[] = [];
  let at = 1;
  while (at < path.length) {
    const char = path[at];
    if (char === '.') {
      const match = /^[^.[\]]+/.exec(path.slice(at + 1));
      if (match === null) throw new JsonPathError(`expected a member name at ${at + 1} of ${path}`);
      steps.push({ kind: 'member', name: match[0] });
      at += 1 + match[0].length;
    } else if (char === '[') {
      const rest = path.slice(at);
      const quoted = /^\[\s*(?:'([^']*)'|"([^"]*)")\s*\]/.exec(rest);
      const index = /^\[\s*(\d+)\s*\]/.exec(rest);
      const all = /^\[\s*(?:0\s*:|\*)\s*\]/.exec(rest);
      if (quoted !== null) {
        steps.push({ kind: 'member', name: quoted[1] ?? quoted[2] ?? '' });
        at += quoted[0].length;
      } else if (index !== null) {
        steps.push({ kind: 'index', index: Number(index[1]) });
        at += index[0].length;
      } else if (all !== null) {
        steps.push({ kind: 'all' });
        at += all[0].length;
      } else {
        throw new JsonPathError(`unsupported step at ${at} of ${path}`);
      }
    } else {
      throw new JsonPathError(`unexpected ${char} at ${at} of ${path}`);
    }
  }
  return steps;
}

/** The value at `steps` below `value`; `[0:]` as the last step yields the whole array. */
export function evaluatePath(value: unknown, steps: readonly PathStep[]): unknown {
  let current = value;
  for (const [position, step] of steps.entries()) {
    if (current === null || current === undefined) return undefined;
    switch (step.kind) {
      case 'member':
        if (typeof current !== 'object' || Array.isArray(current)) return undefined;
        current = Object.hasOwn(current, step.name)
          ? (current as Record<string, unknown>)[step.name]
          : undefined;
        break;
      case 'index':
        if (!Array.isArray(current)) return undefined;
        current = current[step.index];
        break;
      case 'all':
        // Only a last `[0:]` is evaluated here; flattening is the caller's (jsonRows).
        if (!Array.isArray(current) || position !== steps.length - 1) return undefined;
        return current;
      default:
        return step satisfies never;
    }
  }
  return current;
}

/**
 * The rows one JSON document gives for a set of column paths: one row, or one per element of the
 * (single) flattened array; an empty or missing array gives one row of the other columns.
 */
export function jsonRows(root: unknown, paths: readonly (readonly PathStep[])[]): unknown[][] {
  const flattening = paths.find((steps) => flattenAt(steps) >= 0);
  if (flattening === undefined) return [paths.map((steps) => evaluatePath(root, steps))];
  const prefix = flattening.slice(0, flattenAt(flattening));
  const array = evaluatePath(root, prefix);
  const elements: unknown[] = Array.isArray(array) && array.length > 0 ? array : [undefined];
  return elements.map((element) =>
    paths.map((steps) => {
      const at = flattenAt(steps);
      if (at >= 0 && at === prefix.length && samePrefix(steps, prefix)) {
        return evaluatePath(element, steps.slice(at + 1));
      }
      return at >= 0 ? undefined : evaluatePath(root, steps);
    }),
  );
}

/** Index of a `[0:]` step followed by more steps, or -1. */
function flattenAt(steps: readonly PathStep[]): number {
  const at = steps.findIndex((step) => step.kind === 'all');
  return at >= 0 && at < steps.length - 1 ? at : -1;
}

function samePrefix(steps: readonly PathStep[], prefix: readonly PathStep[]): boolean {
  return prefix.every((step, index) => JSON.stringify(step) === JSON.stringify(steps[index]));
}
