/**
 * Redshift COPY options (`CopyCommand.CopyOptions`) as a load plan for PostgreSQL's
 * `COPY … FROM STDIN`. Redshift reads the intermediate S3 object; here the object's bytes are
 * streamed to PostgreSQL, so the options that shape the data are translated and the rest refused.
 *
 * Supported: `JSON 'auto'` / `JSON 'auto ignorecase'` (also `FORMAT [AS] JSON …`), `CSV` with
 * `QUOTE [AS] 'c'`, `DELIMITER [AS] 'c'` (text or CSV; Redshift's text default is `|`),
 * `NULL [AS] 'text'`, `IGNOREHEADER [AS] n`, `GZIP`; accepted with no effect on PostgreSQL:
 * `TIMEFORMAT 'auto'`, `DATEFORMAT 'auto'`, `COMPUPDATE …`, `STATUPDATE …`. Anything else
 * (JSONPaths files, AVRO/PARQUET/ORC, FIXEDWIDTH, other compressions, MAXERROR, …) is refused with
 * InvalidArgumentException when the delivery stream is created or updated.
 */
import { invalidArgument } from '../../core/errors.js';

export interface CopyPlan {
  readonly format: 'text' | 'csv' | 'json';
  /** JSON keys matched to column names without regard to case (`'auto ignorecase'`). */
  readonly ignoreCase: boolean;
  readonly delimiter: string;
  readonly quote: string | undefined;
  readonly nullText: string | undefined;
  readonly ignoreHeaderLines: number;
  readonly gzip: boolean;
}

type Token =
  { readonly kind: 'word'; readonly text: string } | { readonly kind: 'string'; readonly text: string };

function tokenize(options: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < options.length) {
    const character = options[index] as string;
    if (/\s|,|;/.test(character)) {
      index++;
    } else if (character === "'") {
      let text = '';
      index++;
      for (;;) {
        if (index >= options.length) throw refuse(`unterminated quoted string in CopyOptions "${options}"`);
        const next = options[index] as string;
        if (next === "'" && options[index + 1] === "'") {
          text += "'";
          index += 2;
        } else if (next === "'") {
          index++;
          break;
        } else if (next === '\\' && index + 1 < options.length) {
          text += unescapeCharacter(options[index + 1] as string);
          index += 2;
        } else {
          text += next;
          index++;
        }
      }
      tokens.push({ kind: 'string', text });
    } else {
      const match = /^[^\s,;']+/.exec(options.slice(index)) as RegExpExecArray;
      tokens.push({ kind: 'word', text: match[0].toUpperCase() });
      index += match[0].length;
    }
  }
  return tokens;
}

function unescapeCharacter(character: string): string {
  return character === 't' ? '\t' : character === 'n' ? '\n' : character;
}

function refuse(detail: string): Error {
  return invalidArgument(
    `${detail} is not supported yet by this Firehose endpoint's Redshift (PostgreSQL) destination.`,
  );
}

/** Parses CopyOptions; InvalidArgumentException for what cannot be translated. */
export function parseCopyOptions(options: string | undefined): CopyPlan {
  const tokens = tokenize(options ?? '');
  let format: CopyPlan['format'] = 'text';
  let ignoreCase = false;
  let delimiter: string | undefined;
  let quote: string | undefined;
  let nullText: string | undefined;
  let ignoreHeaderLines = 0;
  let gzip = false;
  let index = 0;
  const next = (): Token | undefined => tokens[index++];
  const word = (token: Token | undefined, text: string): boolean =>
    token?.kind === 'word' && token.text === text;
  const stringAfterOptionalAs = (option: string): string => {
    let token = next();
    if (word(token, 'AS')) token = next();
    if (token?.kind !== 'string') throw refuse(`${option} without a quoted value`);
    return token.text;
  };
  while (index < tokens.length) {
    const token = next() as Token;
    if (token.kind === 'string') throw refuse(`the value '${token.text}' without an option`);
    switch (token.text) {
      case 'FORMAT': {
        if (word(tokens[index], 'AS')) index++;
        const formatWord = next();
        if (word(formatWord, 'CSV')) format = 'csv';
        else if (word(formatWord, 'JSON')) ignoreCase = jsonArgument(stringAfterOptionalAs('JSON'));
        else throw refuse(`FORMAT ${formatWord?.text ?? ''}`);
        if (word(formatWord, 'JSON')) format = 'json';
        break;
      }
      case 'JSON':
        format = 'json';
        ignoreCase = jsonArgument(stringAfterOptionalAs('JSON'));
        break;
      case 'CSV':
        format = 'csv';
        break;
      case 'QUOTE':
        quote = stringAfterOptionalAs('QUOTE');
        break;
      case 'DELIMITER':
        delimiter = stringAfterOptionalAs('DELIMITER');
        break;
      case 'NULL':
        nullText = stringAfterOptionalAs('NULL');
        break;
      case 'IGNOREHEADER': {
        let count = next();
        if (word(count, 'AS')) count = next();
        if (count?.kind !== 'word' || !/^\d+$/.test(count.text))
          throw refuse('IGNOREHEADER without a number');
        ignoreHeaderLines = Number(count.text);
        break;
      }
      case 'GZIP':
        gzip = true;
        break;
      case 'TIMEFORMAT':
      case 'DATEFORMAT': {
        const value = stringAfterOptionalAs(token.text);
        if (value.toLowerCase() !== 'auto') throw refuse(`${token.text} '${value}'`);
        break;
      }
      case 'COMPUPDATE':
      case 'STATUPDATE': {
        const value = tokens[index];
        if (value?.kind === 'word' && /^(ON|OFF|TRUE|FALSE|PRESET)$/.test(value.text)) index++;
        break;
      }
      default:
        throw refuse(`The COPY option ${token.text}`);
    }
  }
  if (format === 'json' && (delimiter !== undefined || quote !== undefined || nullText !== undefined))
    throw invalidArgument('DELIMITER, QUOTE and NULL AS cannot be used with JSON in CopyOptions.');
  if (quote !== undefined && format !== 'csv')
    throw invalidArgument('QUOTE can be used only with CSV in CopyOptions.');
  for (const [name, value] of [
    ['DELIMITER', delimiter],
    ['QUOTE', quote],
  ] as const) {
    if (value !== undefined && value.length !== 1)
      throw invalidArgument(`${name} must be a single character in CopyOptions.`);
  }
  return {
    format,
    ignoreCase,
    delimiter: delimiter ?? (format === 'csv' ? ',' : '|'),
    quote: format === 'csv' ? (quote ?? '"') : undefined,
    nullText,
    ignoreHeaderLines,
    gzip,
  };
}

function jsonArgument(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'auto') return false;
  if (normalized === 'auto ignorecase') return true;
  throw refuse(`JSON '${value}' (a JSONPaths file)`);
}

/** The PostgreSQL `WITH (…)` options of a COPY for this plan (JSON loads are sent as CSV). */
export function postgresCopyOptions(plan: CopyPlan): string {
  const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  if (plan.format === 'json') return 'FORMAT csv';
  const parts = [`FORMAT ${plan.format}`, `DELIMITER ${literal(plan.delimiter)}`];
  if (plan.quote !== undefined) parts.push(`QUOTE ${literal(plan.quote)}`);
  if (plan.nullText !== undefined) parts.push(`NULL ${literal(plan.nullText)}`);
  return parts.join(', ');
}
