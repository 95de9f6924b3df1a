/** The shape of a `tributary analytics` subcommand (as `StreamsSubcommand`, over the Analytics API). */
import type { KinesisAnalyticsClient } from '@aws-sdk/client-kinesis-analytics';
import type { ParseArgsConfig } from 'node:util';
import type { CommandIo, ParsedValues } from '../streams/command-line.js';
import type { Connection } from '../streams/connection.js';

export interface AnalyticsSubcommand {
  readonly name: string;
  readonly summary: string;
  /** Usage and options, without the shared connection options. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Positional arguments: exactly these. */
  readonly positionals: readonly string[];
  run(context: {
    readonly client: KinesisAnalyticsClient;
    readonly connection: Connection;
    readonly values: ParsedValues;
    readonly positionals: readonly string[];
    readonly io: CommandIo;
  }): Promise<number>;
}
