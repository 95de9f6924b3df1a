/** The Analytics applications list: status, version, inputs and outputs of every application. */
import type { ApplicationDetail } from '@aws-sdk/client-kinesis-analytics';
import type { AnalyticsClients } from '../analytics/clients.js';
import { listApplicationDetails, nameOfArn } from '../analytics/applications.js';
import { ErrorBanner, Loading, StatusBadge, useLoader } from '../components/ui.js';
import { applicationPath, linkTo } from '../router.js';

export function AnalyticsListPage({ clients }: { clients: AnalyticsClients }) {
  const applications = useLoader(() => listApplicationDetails(clients.analytics), [clients]);
  return (
    <section aria-labelledby="applications-title">
      <div class="page-header">
        <h1 id="applications-title">Analytics applications</h1>
        <div class="actions">
          <button type="button" onClick={applications.reload} disabled={applications.loading}>
            Refresh
          </button>
          <a class="button button-primary" href="/analytics/create" onClick={linkTo('/analytics/create')}>
            Create application
          </a>
        </div>
      </div>
      <ErrorBanner error={applications.error} title="Could not list applications." />
      {applications.data === undefined ? (
        applications.loading && <Loading />
      ) : applications.data.length === 0 ? (
        <div class="empty card">
          <h2>No applications yet</h2>
          <p>
            An application reads a data stream or delivery stream, maps its records to columns and runs
            continuous SQL over them; its results go to streams or delivery streams.
          </p>
          <a class="button button-primary" href="/analytics/create" onClick={linkTo('/analytics/create')}>
            Create application
          </a>
        </div>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Analytics applications</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Version</th>
              <th scope="col">Inputs</th>
              <th scope="col">Outputs</th>
            </tr>
          </thead>
          <tbody>
            {applications.data.map((application) => {
              const name = application.ApplicationName ?? '';
              return (
                <tr key={name}>
                  <td>
                    <a href={applicationPath(name)} onClick={linkTo(applicationPath(name))}>
                      {name}
                    </a>
                  </td>
                  <td>
                    <StatusBadge status={application.ApplicationStatus} />
                  </td>
                  <td class="number">{application.ApplicationVersionId ?? '—'}</td>
                  <td>{inputsText(application)}</td>
                  <td>{outputsText(application)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function inputsText(application: ApplicationDetail): string {
  const inputs = application.InputDescriptions ?? [];
  if (inputs.length === 0) return 'None';
  return inputs
    .map((input) =>
      nameOfArn(
        input.KinesisStreamsInputDescription?.ResourceARN ??
          input.KinesisFirehoseInputDescription?.ResourceARN,
      ),
    )
    .join(', ');
}

export function outputsText(application: ApplicationDetail): string {
  const outputs = application.OutputDescriptions ?? [];
  if (outputs.length === 0) return 'None';
  return outputs
    .map(
      (output) =>
        `${output.Name ?? ''} → ${nameOfArn(
          output.KinesisStreamsOutputDescription?.ResourceARN ??
            output.KinesisFirehoseOutputDescription?.ResourceARN ??
            output.LambdaOutputDescription?.ResourceARN,
        )}`,
    )
    .join(', ');
}
