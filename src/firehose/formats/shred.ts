/**
 * Dremel shredding: typed rows (from `json-deserializer.ts`) into per-leaf columns of
 * definition levels, repetition levels and the non-null values.
 */
import type { TypedRow, TypedValue } from './json-deserializer.js';
import type { LeafColumn, SchemaNode } from './parquet-schema.js';

export class ColumnValues {
  readonly leaf: LeafColumn;
  readonly definitionLevels: number[] = [];
  readonly repetitionLevels: number[] = [];
  readonly values: TypedValue[] = [];
  nullCount = 0;
  constructor(leaf: LeafColumn) {
    this.leaf = leaf;
  }
}

export function shredRows(
  columns: readonly SchemaNode[],
  leaves: readonly LeafColumn[],
  rows: readonly TypedRow[],
): ColumnValues[] {
  const out = leaves.map((leaf) => new ColumnValues(leaf));
  for (const row of rows) {
    columns.forEach((node, index) => write(out, node, row[index] ?? null, 0, 0));
  }
  return out;
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
    column.repetitionLevels.push(repetitionLevel);
    column.definitionLevels.push(definitionLevel);
    column.nullCount++;
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
  column.repetitionLevels.push(repetitionLevel);
  column.definitionLevels.push(definitionLevel);
  column.values.push(value);
}
