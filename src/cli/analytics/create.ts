/**
 * `tributary analytics create --application app.json`: CreateApplication from a JSON file holding
 * the request (the shape `aws kinesisanalytics create-application --cli-input-json` takes:
 * ApplicationName, ApplicationCode, Inputs, Outputs, …); `ApplicationCode` may instead name a SQL
 * file, relative to the JSON file, as `"ApplicationCodeFile"`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateApplicationCommand,
  type CreateApplicationCommandInput,
} from '@aws-sdk/client-kinesis-analytics';
import { exitCodes, UsageError, write } from '../streams/command-line.js';
import type { AnalyticsSubcommand } from './analytics-subcommand.js';

export const createCommand: AnalyticsSubcommand = {
  name: 'create',
  summary: 'create an application from a JSON request file',
  help: `Usage: tributary analytics create --application FILE

Creates an application with CreateApplication. FILE holds the request as JSON, as
'aws kinesisanalytics create-application --cli-input-json' takes it: ApplicationName,
ApplicationCode, Inputs, Outputs, CloudWatchLoggingOptions, Tags. Instead of ApplicationCode,
"ApplicationCodeFile": "app.sql" reads the code from a file (relative to FILE). Prints the
application's ARN.

Options:
  --application FILE  the request (required)`,
  options: { application: { type: 'string' } },
  positionals: [],
  async run({ client, values, io }) {
    const file = values.application;
    if (typeof file !== 'string' || file === '') throw new UsageError('--application FILE is required');
    let request: CreateApplicationCommandInput & { ApplicationCodeFile?: string };
    try {
      request = JSON.parse(await readFile(file, 'utf8')) as typeof request;
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      throw new UsageError(`${file} must hold a JSON object (the CreateApplication request)`);
    }
    const { ApplicationCodeFile: codeFile, ...input } = request;
    if (codeFile !== undefined) {
      if (input.ApplicationCode !== undefined)
        throw new UsageError(`${file}: give ApplicationCode or ApplicationCodeFile, not both`);
      try {
        input.ApplicationCode = await readFile(path.resolve(path.dirname(file), codeFile), 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${codeFile}: ${(error as Error).message}`);
      }
    }
    const created = await client.send(new CreateApplicationCommand(input), { abortSignal: io.signal });
    await write(io.stdout, `${created.ApplicationSummary?.ApplicationARN ?? ''}\n`);
    return exitCodes.ok;
  },
};
