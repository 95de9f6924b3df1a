/**
 * A throwaway function registry for `--functions`: each function's JavaScript module written to a
 * temporary directory next to the `functions.json` that names it (`<name>.mjs`, handler
 * `handler`), removed when the test is done; and the ProcessingConfiguration of a delivery stream
 * that runs one of them as its Lambda processor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FunctionModules {
  /** The server arguments that load the registry: `--functions <path>`. */
  readonly serverArgs: readonly string[];
  remove(): void;
}

/** `modules` maps each function name to its module's source. */
export function writeFunctionModules(
  modules: Readonly<Record<string, string>>,
  timeoutSeconds = 30,
): FunctionModules {
  const directory = mkdtempSync(path.join(tmpdir(), 'tributary-functions-'));
  const registry: Record<string, { module: string; timeoutSeconds: number }> = {};
  for (const [name, source] of Object.entries(modules)) {
    writeFileSync(path.join(directory, `${name}.mjs`), source);
    registry[name] = { module: `./${name}.mjs`, timeoutSeconds };
  }
  const registryPath = path.join(directory, 'functions.json');
  writeFileSync(registryPath, JSON.stringify(registry));
  return {
    serverArgs: ['--functions', registryPath],
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** A ProcessingConfiguration with one Lambda processor: the registry's function of that name. */
export function lambdaProcessing(functionName: string, numberOfRetries: number) {
  return {
    Enabled: true,
    Processors: [
      {
        Type: 'Lambda' as const,
        Parameters: [
          {
            ParameterName: 'LambdaArn' as const,
            ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
          },
          { ParameterName: 'NumberOfRetries' as const, ParameterValue: String(numberOfRetries) },
        ],
      },
    ],
  };
}
