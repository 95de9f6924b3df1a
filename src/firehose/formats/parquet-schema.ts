/**
 * Hive columns to a Parquet schema, laid out as Hive's Parquet writer lays them out (what
 * Firehose uses): every column and nested field optional; string/varchar/char as UTF8 byte
 * arrays; tinyint/smallint as INT32 with INT_8/INT_16; decimal as a fixed-length byte array of the
 * fewest bytes for its precision; date as INT32 DATE; timestamp as INT96; arrays as the
 * three-level LIST (`repeated group list { optional element }`), maps as MAP
 * (`repeated group key_value { required key; optional value }`).
 *
 * Each leaf column knows its path and its maximum definition and repetition levels, which is all
 * that shredding needs.
 */
import { i32, binary, struct, type ThriftValue } from './thrift-compact.js';
import type { HiveField, HiveType } from './hive-type.js';

export const PhysicalType = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;
export type PhysicalType = (typeof PhysicalType)[keyof typeof PhysicalType];

const Repetition = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
type Repetition = (typeof Repetition)[keyof typeof Repetition];

const ConvertedType = {
  UTF8: 0,
  MAP: 1,
  MAP_KEY_VALUE: 2,
  LIST: 3,
  DECIMAL: 5,
  DATE: 6,
  INT_8: 15,
  INT_16: 16,
} as const;

export interface LeafColumn {
  readonly path: readonly string[];
  readonly physicalType: PhysicalType;
  /** Bytes per value of a FIXED_LEN_BYTE_ARRAY. */
  readonly typeLength: number;
  readonly maxDefinitionLevel: number;
  readonly maxRepetitionLevel: number;
  /** Position among all leaves, in schema order. */
  readonly index: number;
}

/** A node of the shredding tree: how a typed value of this shape maps onto leaves. */
export type SchemaNode =
  | { readonly kind: 'leaf'; readonly leaf: LeafColumn; readonly leaves: readonly LeafColumn[] }
  | {
      readonly kind: 'struct';
      readonly fields: readonly SchemaNode[];
      readonly leaves: readonly LeafColumn[];
    }
  | {
      readonly kind: 'list';
      readonly element: SchemaNode;
      /** Repetition level of the repeated group. */
      readonly repetitionLevel: number;
      readonly leaves: readonly LeafColumn[];
    }
  | {
      readonly kind: 'map';
      readonly key: LeafColumn;
      readonly value: SchemaNode;
      readonly repetitionLevel: number;
      readonly leaves: readonly LeafColumn[];
    };

export interface ParquetSchema {
  /** The flattened `SchemaElement`s of the footer, root first. */
  readonly elements: readonly ThriftValue[];
  /** One per column: an optional node at definition level 1. */
  readonly columns: readonly SchemaNode[];
  readonly leaves: readonly LeafColumn[];
}

export function buildParquetSchema(columns: readonly HiveField[], rootName = 'hive_schema'): ParquetSchema {
  const builder = new SchemaBuilder();
  const rootChildren: ThriftValue[][] = [];
  const nodes = columns.map((column) => {
    const elements: ThriftValue[] = [];
    const node = builder.node(column.name, column.type, Repetition.OPTIONAL, [], 1, 0, elements);
    rootChildren.push(elements);
    return node;
  });
  const root = element({ name: rootName, children: columns.length });
  return { elements: [root, ...rootChildren.flat()], columns: nodes, leaves: builder.leaves };
}

class SchemaBuilder {
  readonly leaves: LeafColumn[] = [];

  /** Adds the elements of one optional (or required) field, depth first; returns its node. */
  node(
    name: string,
    type: HiveType,
    repetition: Repetition,
    parentPath: readonly string[],
    definitionLevel: number,
    repetitionLevel: number,
    out: ThriftValue[],
  ): SchemaNode {
    const path = [...parentPath, name];
    switch (type.kind) {
      case 'primitive':
      case 'decimal': {
        const { physicalType, typeLength, converted, precision, scale } = primitiveLayout(type);
        out.push(element({ name, repetition, physicalType, typeLength, converted, precision, scale }));
        const leaf: LeafColumn = {
          path,
          physicalType,
          typeLength: typeLength ?? 0,
          maxDefinitionLevel: definitionLevel,
          maxRepetitionLevel: repetitionLevel,
          index: this.leaves.length,
        };
        this.leaves.push(leaf);
        return { kind: 'leaf', leaf, leaves: [leaf] };
      }
      case 'struct': {
        out.push(element({ name, repetition, children: type.fields.length }));
        const fields = type.fields.map((field) =>
          this.node(
            field.name,
            field.type,
            Repetition.OPTIONAL,
            path,
            definitionLevel + 1,
            repetitionLevel,
            out,
          ),
        );
        return { kind: 'struct', fields, leaves: fields.flatMap((field) => field.leaves) };
      }
      case 'array': {
        out.push(element({ name, repetition, children: 1, converted: ConvertedType.LIST }));
        out.push(element({ name: 'list', repetition: Repetition.REPEATED, children: 1 }));
        const elementNode = this.node(
          'element',
          type.element,
          Repetition.OPTIONAL,
          [...path, 'list'],
          definitionLevel + 2,
          repetitionLevel + 1,
          out,
        );
        return {
          kind: 'list',
          element: elementNode,
          repetitionLevel: repetitionLevel + 1,
          leaves: elementNode.leaves,
        };
      }
      case 'map': {
        out.push(element({ name, repetition, children: 1, converted: ConvertedType.MAP }));
        out.push(
          element({
            name: 'key_value',
            repetition: Repetition.REPEATED,
            children: 2,
            converted: ConvertedType.MAP_KEY_VALUE,
          }),
        );
        const keyNode = this.node(
          'key',
          type.key,
          Repetition.REQUIRED,
          [...path, 'key_value'],
          definitionLevel + 1,
          repetitionLevel + 1,
          out,
        );
        if (keyNode.kind !== 'leaf') throw new Error('map keys must be primitive');
        const valueNode = this.node(
          'value',
          type.value,
          Repetition.OPTIONAL,
          [...path, 'key_value'],
          definitionLevel + 2,
          repetitionLevel + 1,
          out,
        );
        return {
          kind: 'map',
          key: keyNode.leaf,
          value: valueNode,
          repetitionLevel: repetitionLevel + 1,
          leaves: [keyNode.leaf, ...valueNode.leaves],
        };
      }
    }
  }
}

interface PrimitiveLayout {
  physicalType: PhysicalType;
  typeLength?: number;
  converted?: number;
  precision?: number;
  scale?: number;
}

function primitiveLayout(type: Extract<HiveType, { kind: 'primitive' | 'decimal' }>): PrimitiveLayout {
  if (type.kind === 'decimal') {
    return {
      physicalType: PhysicalType.FIXED_LEN_BYTE_ARRAY,
      typeLength: decimalBytes(type.precision),
      converted: ConvertedType.DECIMAL,
      precision: type.precision,
      scale: type.scale,
    };
  }
  switch (type.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return { physicalType: PhysicalType.BYTE_ARRAY, converted: ConvertedType.UTF8 };
    case 'tinyint':
      return { physicalType: PhysicalType.INT32, converted: ConvertedType.INT_8 };
    case 'smallint':
      return { physicalType: PhysicalType.INT32, converted: ConvertedType.INT_16 };
    case 'int':
      return { physicalType: PhysicalType.INT32 };
    case 'bigint':
      return { physicalType: PhysicalType.INT64 };
    case 'boolean':
      return { physicalType: PhysicalType.BOOLEAN };
    case 'float':
      return { physicalType: PhysicalType.FLOAT };
    case 'double':
      return { physicalType: PhysicalType.DOUBLE };
    case 'date':
      return { physicalType: PhysicalType.INT32, converted: ConvertedType.DATE };
    case 'timestamp':
      return { physicalType: PhysicalType.INT96 };
    case 'binary':
      return { physicalType: PhysicalType.BYTE_ARRAY };
  }
}

/** The fewest bytes whose two's complement holds every unscaled value of `precision` digits. */
export function decimalBytes(precision: number): number {
  const limit = 10n ** BigInt(precision);
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) < limit) bytes++;
  return bytes;
}

function element(options: {
  name: string;
  repetition?: Repetition;
  physicalType?: PhysicalType;
  typeLength?: number | undefined;
  children?: number;
  converted?: number | undefined;
  precision?: number | undefined;
  scale?: number | undefined;
}): ThriftValue {
  const optional = (value: number | undefined) => (value === undefined ? undefined : i32(value));
  return struct([
    [1, optional(options.physicalType)],
    [2, optional(options.typeLength)],
    [3, optional(options.repetition)],
    [4, binary(options.name)],
    [5, optional(options.children)],
    [6, optional(options.converted)],
    [7, optional(options.scale)],
    [8, optional(options.precision)],
  ]);
}
