/**
 * Every corpus statement parses, and printing gives SQL that parses back to the same tree
 * (spans aside); printing that again gives the same text. The corpus must reach every node kind,
 * so a new kind without a corpus statement fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScript, printScript, withoutSpans } from '../../src/analytics/sql/index.js';
import { corpusFiles, corpusStatements, nodeKinds } from './sql-corpus.js';

describe('SQL corpus round trip', () => {
  for (const statement of corpusStatements()) {
    it(`${statement.file}:${statement.line}`, () => {
      const tree = parseScript(statement.source);
      assert.equal(tree.statements.length, 1);
      const printed = printScript(tree);
      const reparsed = parseScript(printed);
      assert.deepEqual(withoutSpans(reparsed), withoutSpans(tree), printed);
      assert.equal(printScript(reparsed), printed);
    });
  }

  it('whole files round-trip as scripts', () => {
    for (const { file, source } of corpusFiles()) {
      const tree = parseScript(source);
      assert.deepEqual(withoutSpans(parseScript(printScript(tree))), withoutSpans(tree), file);
    }
  });

  it('reaches every node kind', () => {
    const kinds = new Set<string>();
    for (const { source } of corpusFiles()) nodeKinds(parseScript(source), kinds);
    // prettier-ignore
    const expected = [
      'script', 'createStream', 'columnDefinition', 'dataType', 'intervalQualifier', 'createPump', 'createView',
      'createFunction', 'functionParameter',
      'insert', 'queryStatement', 'select', 'setOperation', 'values', 'expressionItem', 'starItem',
      'namedSource', 'subquerySource', 'tableFunctionSource', 'join', 'correlation', 'windowName',
      'windowSpecification', 'frame', 'frameBound', 'namedWindow', 'stagger', 'orderItem', 'orderBy',
      'identifier', 'literal', 'datetimeLiteral', 'intervalLiteral', 'column', 'call', 'cast', 'extract',
      'timeFloor', 'step', 'substring', 'trim', 'position', 'overlay', 'case', 'when', 'unary', 'binary',
      'isTest', 'isDistinctFrom', 'between', 'like', 'inList', 'inQuery', 'exists', 'scalarQuery', 'cursor',
      'intervalQualified',
    ];
    assert.deepEqual([...kinds].sort(), [...expected].sort());
  });
});
