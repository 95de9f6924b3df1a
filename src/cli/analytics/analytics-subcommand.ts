/** The shape of a `tributary analytics` subcommand: a command-group subcommand over the Analytics API. */
import type { KinesisAnalyticsClient } from '@aws-sdk/client-kinesis-analytics';
import type { Subcommand } from '../command-group.js';

export type AnalyticsSubcommand = Subcommand<KinesisAnalyticsClient>;
