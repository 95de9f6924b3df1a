/**
 * Statement nodes: what a KDA application's code is made of. The parser accepts each where the
 * grammar allows it; rules such as "INSERT only inside a pump" belong to the binder.
 */
import type { DataType, Identifier, Span } from './ast.js';
import type { Expression } from './ast-expression.js';
import type { Query } from './ast-query.js';

type Fields<T> = Omit<T, 'kind'>;

export type Statement = CreateStream | CreatePump | CreateView | CreateFunction | Insert | QueryStatement;

export interface ColumnDefinition {
  readonly kind: 'columnDefinition';
  readonly name: Identifier;
  readonly type: DataType;
  readonly notNull: boolean;
  readonly span: Span;
}
export const columnDefinition = (fields: Fields<ColumnDefinition>): ColumnDefinition => ({
  kind: 'columnDefinition',
  ...fields,
});

/** `CREATE [OR REPLACE] STREAM name (col type [NOT NULL], ...) [DESCRIPTION 'text']`. */
export interface CreateStream {
  readonly kind: 'createStream';
  readonly orReplace: boolean;
  readonly name: readonly Identifier[];
  readonly columns: readonly ColumnDefinition[];
  readonly description: string | null;
  readonly span: Span;
}
export const createStream = (fields: Fields<CreateStream>): CreateStream => ({
  kind: 'createStream',
  ...fields,
});

/** `CREATE [OR REPLACE] PUMP name [DESCRIPTION 'text'] AS INSERT INTO ...`. */
export interface CreatePump {
  readonly kind: 'createPump';
  readonly orReplace: boolean;
  readonly name: readonly Identifier[];
  readonly description: string | null;
  readonly insert: Insert;
  readonly span: Span;
}
export const createPump = (fields: Fields<CreatePump>): CreatePump => ({ kind: 'createPump', ...fields });

/** `CREATE [OR REPLACE] VIEW name [(cols)] [DESCRIPTION 'text'] AS query` (SQLstream; rare in KDA). */
export interface CreateView {
  readonly kind: 'createView';
  readonly orReplace: boolean;
  readonly name: readonly Identifier[];
  readonly columns: readonly Identifier[] | null;
  readonly description: string | null;
  readonly query: Query;
  readonly span: Span;
}
export const createView = (fields: Fields<CreateView>): CreateView => ({ kind: 'createView', ...fields });

export interface FunctionParameter {
  readonly kind: 'functionParameter';
  readonly name: Identifier;
  readonly type: DataType;
  readonly span: Span;
}
export const functionParameter = (fields: Fields<FunctionParameter>): FunctionParameter => ({
  kind: 'functionParameter',
  ...fields,
});

/**
 * `CREATE [OR REPLACE] FUNCTION f(p type, ...) RETURNS type <characteristics> RETURN expr`: a
 * SQL-bodied scalar function. Characteristics may come in any order, each at most once; null
 * means "not written" (the binder applies the defaults, e.g. CALLED ON NULL INPUT).
 */
export interface CreateFunction {
  readonly kind: 'createFunction';
  readonly orReplace: boolean;
  readonly name: readonly Identifier[];
  readonly parameters: readonly FunctionParameter[];
  readonly returns: DataType;
  readonly language: 'SQL' | null;
  readonly specific: readonly Identifier[] | null;
  readonly deterministic: boolean | null;
  readonly dataAccess: 'CONTAINS SQL' | 'READS SQL DATA' | 'MODIFIES SQL DATA' | 'NO SQL' | null;
  readonly nullCall: 'RETURNS NULL ON NULL INPUT' | 'CALLED ON NULL INPUT' | null;
  readonly body: Expression;
  readonly span: Span;
}
export const createFunction = (fields: Fields<CreateFunction>): CreateFunction => ({
  kind: 'createFunction',
  ...fields,
});

/** `INSERT [EXPEDITED] INTO target [(cols)] query`; `columns` null maps onto all target columns. */
export interface Insert {
  readonly kind: 'insert';
  readonly expedited: boolean;
  readonly target: readonly Identifier[];
  readonly columns: readonly Identifier[] | null;
  readonly query: Query;
  readonly span: Span;
}
export const insert = (fields: Fields<Insert>): Insert => ({ kind: 'insert', ...fields });

/** A bare query, as the console runs for previews (`SELECT STREAM * FROM s`). */
export interface QueryStatement {
  readonly kind: 'queryStatement';
  readonly query: Query;
  readonly span: Span;
}
export const queryStatement = (query: Query, span: Span): QueryStatement => ({
  kind: 'queryStatement',
  query,
  span,
});

/** The whole application code. */
export interface Script {
  readonly kind: 'script';
  readonly statements: readonly Statement[];
  readonly span: Span;
}
export const script = (statements: readonly Statement[], span: Span): Script => ({
  kind: 'script',
  statements,
  span,
});
