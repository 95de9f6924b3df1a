/** `tributary analytics list`: every application of the account and region (ListApplications pages). */
import { ListApplicationsCommand, type ApplicationSummary } from '@aws-sdk/client-kinesis-analytics';
import { exitCodes, oneOf, write } from '../streams/command-line.js';
import type { AnalyticsSubcommand } from './analytics-subcommand.js';

export const listCommand: AnalyticsSubcommand = {
  name: 'list',
  summary: 'list the applications (name, status, ARN)',
  help: `Usage: tributary analytics list [--output text|json]

Lists every Kinesis Analytics application of the account and region.

Options:
  --output text|json  text: one application a line (name, status, ARN); json: an array of
                      {name, status, arn}; default text`,
  options: { output: { type: 'string' } },
  positionals: [],
  async run({ client, values, io }) {
    const output = oneOf('output', values.output, ['text', 'json'], 'text');
    const summaries: ApplicationSummary[] = [];
    let start: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListApplicationsCommand(start === undefined ? {} : { ExclusiveStartApplicationName: start }),
        { abortSignal: io.signal },
      );
      summaries.push(...(page.ApplicationSummaries ?? []));
      start = page.ApplicationSummaries?.at(-1)?.ApplicationName;
      if (page.HasMoreApplications !== true || start === undefined) break;
    }
    const rows = summaries.map((summary) => ({
      name: summary.ApplicationName ?? '',
      status: summary.ApplicationStatus ?? '',
      arn: summary.ApplicationARN ?? '',
    }));
    if (output === 'json') {
      await write(io.stdout, `${JSON.stringify(rows, null, 2)}\n`);
      return exitCodes.ok;
    }
    if (rows.length === 0) {
      await write(io.stderr, 'no applications\n');
      return exitCodes.ok;
    }
    const width = Math.max(4, ...rows.map((row) => row.name.length));
    const lines = rows.map((row) => `${row.name.padEnd(width)}  ${row.status.padEnd(8)}  ${row.arn}`);
    await write(io.stdout, `${'NAME'.padEnd(width)}  STATUS    ARN\n${lines.join('\n')}\n`);
    return exitCodes.ok;
  },
};
