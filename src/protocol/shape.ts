/**
 * Input shapes: a declarative description of an operation's request, derived from the AWS API
 * model (`scripts/generate-shapes.mjs` writes them per service). `validate.ts` walks a
 * shape to type-check and constrain a decoded body; nothing else interprets these objects.
 *
 * Structure members are kept in model order (object insertion order; AWS member names are never
 * integer-like, so JavaScript does not reorder them), because AWS reports violations in that order.
 */

export interface StructureShape {
  readonly type: 'structure';
  readonly members: { readonly [name: string]: Shape };
  readonly required?: readonly string[];
}

export interface StringShape {
  readonly type: 'string';
  /** Length in UTF-16 code units, as Java's `String.length()` counts it. */
  readonly min?: number;
  readonly max?: number;
  /** A Java regular expression that must match the whole value. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export interface NumberShape {
  /**
   * `integer` is a Java Integer, `long` a Java Long, `double` a Java Double; all are JavaScript
   * numbers here (only integers and longs are floored).
   */
  readonly type: 'integer' | 'long' | 'double';
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShape {
  readonly type: 'boolean';
}

export interface BlobShape {
  readonly type: 'blob';
  /** Length in bytes after base64 decoding. */
  readonly min?: number;
  readonly max?: number;
}

export interface TimestampShape {
  readonly type: 'timestamp';
}

export interface ListShape {
  readonly type: 'list';
  readonly member: Shape;
  readonly min?: number;
  readonly max?: number;
}

export interface MapShape {
  readonly type: 'map';
  readonly key: StringShape;
  readonly value: Shape;
  /** Number of entries. */
  readonly min?: number;
  readonly max?: number;
}

export type Shape =
  | StructureShape
  | StringShape
  | NumberShape
  | BooleanShape
  | BlobShape
  | TimestampShape
  | ListShape
  | MapShape;

/**
 * The TypeScript type of a validated value of shape `S` (declare shapes `as const` to get
 * literal member names and enum unions).
 */
export type ShapeValue<S> = S extends StructureShape
  ? string extends keyof S['members']
    ? Record<string, unknown>
    : StructureValue<S>
  : S extends { readonly type: 'string'; readonly enum: readonly (infer E)[] }
    ? E
    : S extends StringShape
      ? string
      : S extends NumberShape
        ? number
        : S extends BooleanShape
          ? boolean
          : S extends BlobShape
            ? Buffer
            : S extends TimestampShape
              ? Date
              : S extends ListShape
                ? Shape extends S['member']
                  ? unknown[]
                  : ShapeValue<S['member']>[]
                : S extends MapShape
                  ? Shape extends S['value']
                    ? Record<string, unknown>
                    : Record<string, ShapeValue<S['value']>>
                  : never;

type RequiredName<S extends StructureShape> = S['required'] extends readonly (infer R)[] ? R : never;

type StructureValue<S extends StructureShape> = Flatten<
  {
    [K in keyof S['members'] as K extends RequiredName<S> ? K : never]: ShapeValue<S['members'][K]>;
  } & {
    [K in keyof S['members'] as K extends RequiredName<S> ? never : K]?: ShapeValue<S['members'][K]>;
  }
>;

type Flatten<T> = { [K in keyof T]: T[K] };
