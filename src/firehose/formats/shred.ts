/**
 * Dremel shredding: typed rows (from `json-deserializer.ts`) into per-leaf columns of
 * definition levels, repetition levels and the non-null values.
 */
import { ColumnValues } from './column-values.js';
import type { TypedRow, TypedValue } from './json-deserializer.js';
import type { LeafColumn, SchemaNode } from './parquet-schema.js';

export { ColumnValues };

/** `dictionaryBytesMax` undefined: no dictionary encoding. */
export function newColumns(
  leaves: readonly LeafColumn[],
  dictionaryBytesMax: number | undefined,
): ColumnValues[] {
  return leaves.map((leaf) => new ColumnValues(leaf, dictionaryBytesMax));
}

/** Shreds one row into `out` (one `ColumnValues` per leaf, in leaf order). */
export function shredRow(columns: readonly SchemaNode[], out: ColumnValues[], row: TypedRow): void {
  for (let index = 0; index < columns.length; index++) {
    const node = columns[index] as SchemaNode;
    const value = row[index] ?? null;
    if (node.kind === 'leaf') {
      // Flat columns (most of them): no walk, no repetition levels.
      const column = out[node.leaf.index] as ColumnValues;
      if (value === null) column.pushNull(0, 0);
      else column.pushValue(1, 0, value);
    } else {
      write(out, node, value, 0, 0);
    }
  }
}
/** Writes `value` of an optional node whose ancestors are defined up to `definitionLevel`. */
function write(
  out: ColumnValues[],
  node: SchemaNode,
  value: TypedValue,
  repetitionLevel: number,
  definitionLevel: number,
): void {
  if (value === null) {
    writeNull(out, node, repetitionLevel, definitionLevel);
    return;
  }
  const defined = definitionLevel + 1;
  switch (node.kind) {
    case 'leaf':
      push(out, node.leaf, repetitionLevel, defined, value);
      return;
    case 'struct': {
      const fields = value as TypedValue[];
      node.fields.forEach((field, index) =>
        write(out, field, fields[index] ?? null, repetitionLevel, defined),
      );
      return;
    }
    case 'list': {
      const elements = value as TypedValue[];
      if (elements.length === 0) {
        writeNull(out, node, repetitionLevel, defined);
        return;
      }
      elements.forEach((element, index) =>
        write(out, node.element, element, index === 0 ? repetitionLevel : node.repetitionLevel, defined + 1),
      );
      return;
    }
    case 'map': {
      const entries = value as [TypedValue, TypedValue][];
      if (entries.length === 0) {
        writeNull(out, node, repetitionLevel, defined);
        return;
      }
      entries.forEach(([key, entryValue], index) => {
        const level = index === 0 ? repetitionLevel : node.repetitionLevel;
        push(out, node.key, level, defined + 1, key);
        write(out, node.value, entryValue, level, defined + 1);
      });
      return;
    }
  }
}

function writeNull(
  out: ColumnValues[],
  node: SchemaNode,
  repetitionLevel: number,
  definitionLevel: number,
): void {
  for (const leaf of node.leaves) {
    const column = out[leaf.index];
    if (column === undefined) continue;
    column.pushNull(definitionLevel, repetitionLevel);
  }
}

function push(
  out: ColumnValues[],
  leaf: LeafColumn,
  repetitionLevel: number,
  definitionLevel: number,
  value: TypedValue,
): void {
  const column = out[leaf.index];
  if (column === undefined) return;
  column.pushValue(definitionLevel, repetitionLevel, value);
}
