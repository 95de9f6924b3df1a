#!/usr/bin/env node
// Writes each service's `shapes.generated.ts`: every operation's input shape in the
// `src/protocol/shape.ts` format, taken from the botocore service model.
//
//   node scripts/generate-shapes.mjs [--check] [service ...] [--model <service>=<service-2.json[.gz]>]
//
// With no service named, every service of the table below is generated. With --check nothing is
// written: the exit status is 1 when a committed file is stale. Adding a service is one entry in
// `services`.
//
// Each model shape reachable from an input becomes one `const` named after it (shared shapes such
// as StreamName are written once and referenced), emitted dependencies first. Documentation is
// dropped. Constraints are copied as the model states them; service code adds its own checks.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import prettier from 'prettier';

export const botocoreDataPath = '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data';

/**
 * The services whose shapes are generated. `observedEnumOrders`: AWS lists enum values in its
 * ValidationException messages in the order of its own (hash) sets, not the model's. Where that
 * order was recorded against the real service (kinesalite's suite for Kinesis), the shape keeps
 * it, so that the message matches; the set of values is still the model's.
 */
export const services = {
  kinesis: {
    model: 'kinesis/2013-12-02/service-2.json.gz',
    output: 'src/streams/shapes.generated.ts',
    observedEnumOrders: {
      ShardIteratorType: [
        'AFTER_SEQUENCE_NUMBER',
        'LATEST',
        'AT_TIMESTAMP',
        'AT_SEQUENCE_NUMBER',
        'TRIM_HORIZON',
      ],
    },
  },
  firehose: {
    model: 'firehose/2015-08-04/service-2.json.gz',
    output: 'src/firehose/shapes.generated.ts',
    observedEnumOrders: {},
  },
  kinesisanalytics: {
    model: 'kinesisanalytics/2015-08-14/service-2.json.gz',
    output: 'src/analytics/api/shapes.generated.ts',
    observedEnumOrders: {},
  },
  // The Data Catalog subset that Firehose's record format conversion needs; the model's other
  // operations are listed in `operationNames` only, so they answer as AWS answers an operation
  // this endpoint does not serve.
  glue: {
    model: 'glue/2017-03-31/service-2.json.gz',
    output: 'src/glue/shapes.generated.ts',
    observedEnumOrders: {},
    operations: [
      'CreateDatabase',
      'CreateTable',
      'DeleteDatabase',
      'DeleteTable',
      'GetDatabase',
      'GetDatabases',
      'GetTable',
      'GetTables',
      'UpdateTable',
    ],
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const check = args.includes('--check');
const modelOverrides = new Map();
const named = [];
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  if (arg === '--check') continue;
  if (arg === '--model') {
    const [service, path] = (args[++index] ?? '').split('=');
    modelOverrides.set(service, path);
    continue;
  }
  if (!(arg in services)) {
    console.error(`unknown service ${arg}; known: ${Object.keys(services).join(', ')}`);
    process.exit(2);
  }
  named.push(arg);
}

let stale = false;
for (const name of named.length > 0 ? named : Object.keys(services)) {
  const service = services[name];
  const modelPath = modelOverrides.get(name) ?? join(botocoreDataPath, service.model);
  const outputPath = join(root, service.output);
  const formatted = await generate(modelPath, outputPath, service);
  if (check) {
    const current = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : '';
    if (current !== formatted) {
      console.error(`${outputPath} is stale: run node scripts/generate-shapes.mjs ${name}`);
      stale = true;
    } else {
      console.log(`${outputPath} is up to date`);
    }
  } else {
    writeFileSync(outputPath, formatted);
    console.log(`wrote ${outputPath}`);
  }
}
if (stale) process.exit(1);

async function generate(modelPath, outputPath, { observedEnumOrders, operations }) {
  const raw = readFileSync(modelPath);
  const json = modelPath.endsWith('.gz') ? gunzipSync(raw) : raw;
  const model = JSON.parse(json.toString('utf8'));
  const modelSha256 = createHash('sha256').update(json).digest('hex');

  const typeNames = {
    structure: 'StructureShape',
    string: 'StringShape',
    integer: 'NumberShape',
    long: 'NumberShape',
    double: 'NumberShape',
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

  // Model shape names are identifiers already; the suffix keeps them clear of globals (Date, Boolean).
  function identifier(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`shape name ${name} is not an identifier`);
    return `${name}Shape`;
  }

  // JSON text is a valid TypeScript literal; prettier then picks the quotes.
  function literal(value) {
    return JSON.stringify(value);
  }

  const operationNames = Object.keys(model.operations).sort();
  const inputs = [];
  for (const operation of operations ?? operationNames) {
    if (model.operations[operation] === undefined) throw new Error(`no operation ${operation} in the model`);
    const input = model.operations[operation].input?.shape;
    if (input === undefined) {
      inputs.push(`${operation}: emptyInput`);
    } else {
      visit(input);
      inputs.push(`${operation}: ${identifier(input)}`);
    }
  }

  const shapeModule = relative(dirname(outputPath), join(root, 'src/protocol/shape.js'));
  const emptyInputDeclaration =
    "const emptyInput = { type: 'structure', members: {} } as const satisfies StructureShape;";

  const usedTypes = [...new Set(Object.values(typeNames))].filter((type) =>
    [...emitted.values()].some((text) => text.endsWith(`satisfies ${type};`)),
  );

  const source = `// Generated by scripts/generate-shapes.mjs from the botocore model
// ${model.metadata.serviceId} ${model.metadata.apiVersion} (service-2.json sha256 ${modelSha256}).
// Do not edit: change the script and run \`node scripts/generate-shapes.mjs\`.

import type { ${[...usedTypes, 'StructureShape']
    .filter((t, i, all) => all.indexOf(t) === i)
    .sort()
    .join(', ')} } from '${shapeModule}';

${inputs.some((line) => line.endsWith('emptyInput')) ? emptyInputDeclaration : ''}
${[...emitted.values()].join('\n')}

/** The input shape of every operation served, by operation name. */
export const inputShapes = {
${inputs.map((line) => `  ${line},`).join('\n')}
} as const;

/** Every operation of the model, served or not. */
export const operationNames = ${literal(operationNames)} as const;

export type OperationName = (typeof operationNames)[number];
`;

  const options = (await prettier.resolveConfig(outputPath)) ?? {};
  return prettier.format(source, { ...options, filepath: outputPath });
}
