#!/usr/bin/env node
// Writes src/streams/shapes.generated.ts: every Kinesis operation's input shape in the
// `src/protocol/shape.ts` format, taken from the botocore service model.
//
//   node scripts/generate-kinesis-shapes.mjs [--check] [path/to/service-2.json.gz]
//
// With --check nothing is written: the exit status is 1 when the committed file is stale.
//
// Each model shape reachable from an input becomes one `const` named after it (shared shapes such
// as StreamName are written once and referenced), emitted dependencies first. Documentation is
// dropped. Constraints are copied as the model states them; service code adds its own checks.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import prettier from 'prettier';

const defaultModelPath =
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data/kinesis/2013-12-02/service-2.json.gz';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputPath = join(root, 'src/streams/shapes.generated.ts');

const args = process.argv.slice(2);
const check = args.includes('--check');
const modelPath = args.find((arg) => arg !== '--check') ?? defaultModelPath;
const raw = readFileSync(modelPath);
const json = modelPath.endsWith('.gz') ? gunzipSync(raw) : raw;
const model = JSON.parse(json.toString('utf8'));
const modelSha256 = createHash('sha256').update(json).digest('hex');

const typeNames = {
  structure: 'StructureShape',
  string: 'StringShape',
  integer: 'NumberShape',
  long: 'NumberShape',
  boolean: 'BooleanShape',
  blob: 'BlobShape',
  timestamp: 'TimestampShape',
  list: 'ListShape',
  map: 'MapShape',
};

const emitted = new Map(); // model shape name -> declaration text
const visiting = new Set();

function visit(name) {
  if (emitted.has(name)) return;
  if (visiting.has(name)) throw new Error(`recursive shape ${name}: shape.ts has no references`);
  const shape = model.shapes[name];
  if (shape === undefined) throw new Error(`unknown shape ${name}`);
  if (!(shape.type in typeNames)) throw new Error(`shape ${name} has unsupported type ${shape.type}`);
  visiting.add(name);
  const fields = [`type: '${shape.type}'`];
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([member, ref]) => {
        visit(ref.shape);
        return `${member}: ${identifier(ref.shape)}`;
      });
      fields.push(`members: { ${members.join(', ')} }`);
      if (shape.required?.length) fields.push(`required: ${literal(shape.required)}`);
      break;
    }
    case 'list':
      visit(shape.member.shape);
      fields.push(`member: ${identifier(shape.member.shape)}`);
      break;
    case 'map':
      visit(shape.key.shape);
      visit(shape.value.shape);
      fields.push(`key: ${identifier(shape.key.shape)}`, `value: ${identifier(shape.value.shape)}`);
      break;
    default:
      break;
  }
  for (const constraint of ['min', 'max', 'pattern', 'enum']) {
    let value = shape[constraint];
    if (constraint === 'enum' && observedEnumOrders[name] !== undefined) {
      if ([...value].sort().join() !== [...observedEnumOrders[name]].sort().join()) {
        throw new Error(`the model's ${name} values changed; update observedEnumOrders`);
      }
      value = observedEnumOrders[name];
    }
    if (value !== undefined) fields.push(`${constraint}: ${literal(value)}`);
  }
  visiting.delete(name);
  emitted.set(
    name,
    `const ${identifier(name)} = { ${fields.join(', ')} } as const satisfies ${typeNames[shape.type]};`,
  );
}

// AWS lists enum values in its ValidationException messages in the order of its own (hash) sets,
// not the model's. Where that order was recorded against real Kinesis (kinesalite's suite), the
// shape keeps it, so that the message matches; the set of values is still the model's.
const observedEnumOrders = {
  ShardIteratorType: [
    'AFTER_SEQUENCE_NUMBER',
    'LATEST',
    'AT_TIMESTAMP',
    'AT_SEQUENCE_NUMBER',
    'TRIM_HORIZON',
  ],
};

// Model shape names are identifiers already; the suffix keeps them clear of globals (Date, Boolean).
function identifier(name) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`shape name ${name} is not an identifier`);
  return `${name}Shape`;
}

function literal(value) {
  return JSON.stringify(value).replaceAll("'", "\\'");
}

const operationNames = Object.keys(model.operations).sort();
const inputs = [];
for (const operation of operationNames) {
  const input = model.operations[operation].input?.shape;
  if (input === undefined) {
    inputs.push(`${operation}: emptyInput`);
  } else {
    visit(input);
    inputs.push(`${operation}: ${identifier(input)}`);
  }
}

const emptyInputDeclaration =
  "const emptyInput = { type: 'structure', members: {} } as const satisfies StructureShape;";

const usedTypes = [...new Set(Object.values(typeNames))].filter((type) =>
  [...emitted.values()].some((text) => text.endsWith(`satisfies ${type};`)),
);

const source = `// Generated by scripts/generate-kinesis-shapes.mjs from the botocore model
// ${model.metadata.serviceId} ${model.metadata.apiVersion} (service-2.json sha256 ${modelSha256}).
// Do not edit: change the script and run \`node scripts/generate-kinesis-shapes.mjs [model]\`.

import type { ${[...usedTypes, 'StructureShape']
  .filter((t, i, all) => all.indexOf(t) === i)
  .sort()
  .join(', ')} } from '../protocol/shape.js';

${inputs.some((line) => line.endsWith('emptyInput')) ? emptyInputDeclaration : ''}
${[...emitted.values()].join('\n')}

/** Every operation's input shape, by operation name. */
export const inputShapes = {
${inputs.map((line) => `  ${line},`).join('\n')}
} as const;

export const operationNames = ${literal(operationNames)} as const;

export type OperationName = (typeof operationNames)[number];
`;

const options = (await prettier.resolveConfig(outputPath)) ?? {};
const formatted = await prettier.format(source, { ...options, filepath: outputPath });
if (check) {
  const current = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : '';
  if (current !== formatted) {
    console.error(`${outputPath} is stale: run node scripts/generate-kinesis-shapes.mjs`);
    process.exit(1);
  }
  console.log(`${outputPath} is up to date`);
} else {
  writeFileSync(outputPath, formatted);
  console.log(`wrote ${outputPath}: ${operationNames.length} operations, ${emitted.size} shapes`);
}
