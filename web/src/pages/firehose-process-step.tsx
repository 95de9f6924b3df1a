/**
 * Wizard step 2, process records: transform source records with a function in the Lambda
 * contract (its ARN), and convert JSON records to Apache Parquet with the schema of an AWS Glue
 * table, picked from the Glue databases and tables the server holds (GetDatabases, GetTables).
 */
import { GetDatabasesCommand, GetTablesCommand, type GlueClient } from '@aws-sdk/client-glue';
import { ErrorBanner, Loading, useLoader } from '../components/ui.js';
import { ChoiceGroup, WizardField, describedBy, type StepProps } from './firehose-wizard-fields.js';

export function ProcessStep({ state, update, errors, glue }: StepProps & { glue: GlueClient }) {
  return (
    <>
      <h3>Transform source records with AWS Lambda</h3>
      <ChoiceGroup
        legend="Data transformation"
        name="transform"
        value={state.transformEnabled ? 'on' : 'off'}
        onChange={(value) => update({ transformEnabled: value === 'on' })}
        hint="The function receives batches of records and returns them transformed, in the record transformation model of Lambda."
        choices={[
          { value: 'off', label: 'Disabled' },
          { value: 'on', label: 'Enabled' },
        ]}
      />
      {state.transformEnabled && (
        <WizardField
          field="lambdaArn"
          label="Lambda function ARN"
          error={errors.lambdaArn}
          hint="arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>]"
        >
          <input
            {...describedBy('lambdaArn', errors.lambdaArn)}
            value={state.lambdaArn}
            onInput={(event) => update({ lambdaArn: event.currentTarget.value })}
          />
        </WizardField>
      )}
      <h3>Convert record format</h3>
      <ChoiceGroup
        legend="Record format conversion"
        name="conversion"
        value={state.conversionEnabled ? 'on' : 'off'}
        onChange={(value) =>
          update(
            value === 'on'
              ? {
                  conversionEnabled: true,
                  // AWS's console moves to its conversion defaults: no S3 compression, 128 MiB.
                  compression: 'UNCOMPRESSED',
                  bufferSizeMiB: Number(state.bufferSizeMiB) >= 64 ? state.bufferSizeMiB : '128',
                }
              : { conversionEnabled: false },
          )
        }
        hint="JSON records are converted to Apache Parquet with the columns of an AWS Glue table (OpenX JSON SerDe in, Parquet SerDe out). Conversion delivers to Amazon S3 only."
        choices={[
          { value: 'off', label: 'Disabled' },
          { value: 'on', label: 'Enabled' },
        ]}
      />
      {state.conversionEnabled && <GluePickers state={state} update={update} errors={errors} glue={glue} />}
    </>
  );
}

function GluePickers({ state, update, errors, glue }: StepProps & { glue: GlueClient }) {
  const databases = useLoader(() => listGlueDatabases(glue), [glue]);
  const tables = useLoader(
    () => (state.glueDatabase === '' ? Promise.resolve([]) : listGlueTables(glue, state.glueDatabase)),
    [glue, state.glueDatabase],
  );
  return (
    <>
      <p>
        Output format: <strong>Apache Parquet</strong>
      </p>
      <ErrorBanner error={databases.error} title="Could not list the AWS Glue databases." />
      {databases.data === undefined && databases.loading && <Loading label="Loading Glue databases…" />}
      {databases.data !== undefined && (
        <WizardField
          field="glueDatabase"
          label="AWS Glue database"
          error={errors.glueDatabase}
          hint={
            databases.data.length === 0
              ? 'There are no Glue databases yet: create one (aws glue create-database) and a table with the columns.'
              : 'The database of the table that holds the schema.'
          }
        >
          <select
            {...describedBy('glueDatabase', errors.glueDatabase)}
            value={state.glueDatabase}
            onChange={(event) => update({ glueDatabase: event.currentTarget.value, glueTable: '' })}
          >
            <option value="">Choose a database</option>
            {databases.data.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </WizardField>
      )}
      <ErrorBanner error={tables.error} title="Could not list the tables." />
      {state.glueDatabase !== '' && tables.data !== undefined && (
        <WizardField
          field="glueTable"
          label="AWS Glue table"
          error={errors.glueTable}
          hint={
            tables.data.length === 0
              ? `The database ${state.glueDatabase} has no tables yet.`
              : 'Its columns (not its partition keys) are the Parquet schema, read when each buffer is converted.'
          }
        >
          <select
            {...describedBy('glueTable', errors.glueTable)}
            value={state.glueTable}
            onChange={(event) => update({ glueTable: event.currentTarget.value })}
          >
            <option value="">Choose a table</option>
            {tables.data.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </WizardField>
      )}
    </>
  );
}

async function listGlueDatabases(glue: GlueClient): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await glue.send(
      new GetDatabasesCommand(nextToken === undefined ? {} : { NextToken: nextToken }),
    );
    names.push(...(page.DatabaseList ?? []).map((database) => database.Name ?? ''));
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return names.filter((name) => name !== '');
}

async function listGlueTables(glue: GlueClient, databaseName: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await glue.send(
      new GetTablesCommand({
        DatabaseName: databaseName,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    names.push(...(page.TableList ?? []).map((table) => table.Name ?? ''));
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return names.filter((name) => name !== '');
}
