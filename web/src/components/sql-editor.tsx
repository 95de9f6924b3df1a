/**
 * The SQL editor: a real <textarea> (so typing, selection, undo, paste and the keyboard work as
 * everywhere; Tab still moves focus) over a highlighted copy of its text. The textarea's text is
 * transparent and its caret visible; both layers share font, padding and size, and the textarea
 * grows with its content so the outer box scrolls both at once. An error position (from the
 * server's CodeValidationException) is marked in the text and on the line number.
 */
import { useMemo } from 'preact/hooks';
import { offsetOf, tokenizeSql, type CodePosition } from '../analytics/sql-highlight.js';

export function SqlEditor({
  id,
  value,
  onChange,
  error,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error: CodePosition | undefined;
  describedBy?: string;
}) {
  const lines = value.split('\n');
  const longest = Math.max(40, ...lines.map((line) => line.length));
  const highlighted = useMemo(() => highlight(value, error), [value, error]);
  return (
    <div class="sql-editor">
      <div class="sql-gutter" aria-hidden="true">
        {lines.map((_, index) => (
          <div key={index} class={error?.line === index + 1 ? 'sql-gutter-error' : undefined}>
            {index + 1}
          </div>
        ))}
      </div>
      <div
        class="sql-layers"
        style={{ width: `calc(${longest + 2}ch + 1.5rem)`, height: `calc(${lines.length} * 1.5em + 1rem)` }}
      >
        <pre class="sql-highlight" aria-hidden="true">
          {highlighted}
          {'\n'}
        </pre>
        <textarea
          id={id}
          class="sql-input"
          spellcheck={false}
          autocomplete="off"
          autocapitalize="off"
          wrap="off"
          aria-describedby={describedBy}
          aria-invalid={error !== undefined}
          value={value}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      </div>
    </div>
  );
}

function highlight(code: string, error: CodePosition | undefined) {
  const errorOffset = error === undefined ? -1 : offsetOf(code, error);
  const parts = [];
  let offset = 0;
  for (const [index, token] of tokenizeSql(code).entries()) {
    const end = offset + token.text.length;
    if (errorOffset >= offset && errorOffset < end) {
      const at = errorOffset - offset;
      // The token holding the error position: the character there is marked.
      parts.push(
        <span key={index} class={`sql-${token.kind}`}>
          {token.text.slice(0, at)}
          <mark class="sql-error-mark" data-testid="sql-error-mark">
            {token.text.slice(at, at + 1) === '\n' ? ' ' : token.text.slice(at, at + 1)}
          </mark>
          {token.text.slice(at, at + 1) === '\n' ? '\n' : ''}
          {token.text.slice(at + 1)}
        </span>,
      );
    } else {
      parts.push(
        <span key={index} class={`sql-${token.kind}`}>
          {token.text}
        </span>,
      );
    }
    offset = end;
  }
  if (errorOffset === code.length)
    parts.push(
      <mark key="end" class="sql-error-mark" data-testid="sql-error-mark">
        {' '}
      </mark>,
    );
  return parts;
}
