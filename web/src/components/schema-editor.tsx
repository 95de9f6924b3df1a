/**
 * The editable schema of an application input: the column table (name, SQL type, JSON mapping;
 * remove and add columns) and the sample rows, formatted with the columns as edited or raw.
 */
import type { RecordFormat } from '@aws-sdk/client-kinesis-analytics';
import { useMemo, useState } from 'preact/hooks';
import { blankColumn, formatSamples, suggestedSqlTypes, type EditableColumn } from '../analytics/schema.js';

const sampleRowsShown = 20;

export function SchemaEditor({
  format,
  raw,
  columns,
  onChange,
}: {
  format: RecordFormat;
  raw: readonly string[];
  columns: readonly EditableColumn[];
  onChange: (columns: EditableColumn[]) => void;
}) {
  const [sampleView, setSampleView] = useState<'formatted' | 'raw'>('formatted');
  const formatted = useMemo(() => formatSamples(raw, columns, format), [raw, columns, format]);
  const updateColumn = (key: number, change: Partial<EditableColumn>): void =>
    onChange(columns.map((column) => (column.key === key ? { ...column, ...change } : column)));
  return (
    <>
      <h3 id="schema-title">
        Columns{' '}
        <span class="muted">
          ({format.RecordFormatType ?? ''}, {raw.length} sample records)
        </span>
      </h3>
      <table class="table schema-table" aria-labelledby="schema-title">
        <thead>
          <tr>
            <th scope="col">Column name</th>
            <th scope="col">SQL type</th>
            {format.RecordFormatType === 'JSON' && <th scope="col">Mapping</th>}
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column, index) => (
            <tr key={column.key} data-testid="schema-column">
              <td>
                <input
                  aria-label={`Column ${index + 1} name`}
                  value={column.name}
                  required
                  onInput={(event) => updateColumn(column.key, { name: event.currentTarget.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Column ${index + 1} SQL type`}
                  list="sql-types"
                  value={column.sqlType}
                  required
                  onInput={(event) => updateColumn(column.key, { sqlType: event.currentTarget.value })}
                />
              </td>
              {format.RecordFormatType === 'JSON' && (
                <td>
                  <input
                    aria-label={`Column ${index + 1} mapping`}
                    value={column.mapping}
                    required
                    onInput={(event) => updateColumn(column.key, { mapping: event.currentTarget.value })}
                  />
                </td>
              )}
              <td>
                <button
                  type="button"
                  class="button-quiet"
                  aria-label={`Remove column ${index + 1}`}
                  onClick={() => onChange(columns.filter((item) => item.key !== column.key))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <datalist id="sql-types">
        {suggestedSqlTypes.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
      <div class="actions">
        <button type="button" onClick={() => onChange([...columns, blankColumn(format)])}>
          Add column
        </button>
      </div>
      <h3>Sample rows</h3>
      <div class="segmented" role="radiogroup" aria-label="Sample view">
        {(['formatted', 'raw'] as const).map((view) => (
          <label key={view} class={sampleView === view ? 'selected' : undefined}>
            <input
              type="radio"
              name="sample-view"
              checked={sampleView === view}
              onChange={() => setSampleView(view)}
            />
            {view === 'formatted' ? 'Formatted' : 'Raw'}
          </label>
        ))}
      </div>
      {sampleView === 'formatted' ? (
        <div class="table-scroll">
          <table class="table samples-table" data-testid="formatted-samples">
            <caption class="visually-hidden">Sample rows as the columns read them</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th scope="col" key={column.key}>
                    {column.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {formatted.slice(0, sampleRowsShown).map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, cellIndex) => (
                    <td key={cellIndex}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <ol class="raw-samples" data-testid="raw-samples">
          {raw.slice(0, sampleRowsShown).map((record, index) => (
            <li key={index}>
              <code>{record}</code>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
