/**
 * The statement corpus (`test/analytics/corpus/*.sql`), read from the source tree, split into
 * statements by the parser's own spans.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScript } from '../../src/analytics/sql/parser.js';

/** Compiled tests run from dist/test/analytics; the .sql files stay in test/analytics/corpus. */
const corpusDirectory = fileURLToPath(new URL('../../../test/analytics/corpus/', import.meta.url));

export interface CorpusStatement {
  readonly file: string;
  readonly line: number;
  readonly source: string;
}

export function corpusFiles(): { file: string; source: string }[] {
  return readdirSync(corpusDirectory)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ file, source: readFileSync(corpusDirectory + file, 'utf8') }));
}

export function corpusStatements(): CorpusStatement[] {
  return corpusFiles().flatMap(({ file, source }) =>
    parseScript(source).statements.map((statement) => ({
      file,
      line: statement.span.line,
      source: source.slice(statement.span.start, statement.span.end),
    })),
  );
}

/** Every `kind` found in a tree. */
export function nodeKinds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) nodeKinds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (key === 'kind' && typeof field === 'string') into.add(field);
      else if (key !== 'span') nodeKinds(field, into);
    }
  }
  return into;
}
