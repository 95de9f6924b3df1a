/**
 * A delivery stream's Last errors tab: the server's last delivery errors for it (newest first:
 * time, destination, error code and message, attempts, records, and what became of the records),
 * read again every few seconds while the tab is open, with a clear empty state. A failed read
 * keeps the last table and says why above it.
 */
import { useEffect, useState } from 'preact/hooks';
import { ErrorBanner, Loading } from '../components/ui.js';
import { fetchLastErrors } from '../firehose-errors-client.js';
import { outcomeLabels, type LastErrors } from '../firehose-errors.js';
import { formatDate, formatNumber } from '../format.js';
import type { DeliveryStreamTabProps } from './delivery-stream-detail.js';

/** How often the tab reads the errors again. */
export const lastErrorsRefreshMs = 3000;

export function FirehoseErrorsTab({ firehose, stream }: DeliveryStreamTabProps) {
  const name = stream.DeliveryStreamName ?? '';
  const [errors, setErrors] = useState<LastErrors | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [readAt, setReadAt] = useState<Date | undefined>(undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = (): void => {
      fetchLastErrors(firehose, name)
        .then(
          (found) => {
            if (!current) return;
            setErrors(found);
            setFailure(undefined);
            setReadAt(new Date());
          },
          (error: unknown) => {
            if (current) setFailure(error);
          },
        )
        .finally(() => {
          if (current) timer = setTimeout(read, lastErrorsRefreshMs);
        });
    };
    read();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [firehose, name, generation]);

  return (
    <>
      <div class="errors-toolbar">
        <p class="muted" role="status" aria-live="polite">
          {readAt === undefined
            ? 'Reading the last errors…'
            : `Read at ${formatDate(readAt)}; refreshed every ${lastErrorsRefreshMs / 1000} seconds. ` +
              `${formatNumber(errors?.TotalErrorCount ?? 0)} errors since the server started.`}
        </p>
        <button type="button" onClick={() => setGeneration((value) => value + 1)}>
          Refresh now
        </button>
      </div>
      <ErrorBanner error={failure} title="Could not read the last errors." />
      {errors === undefined ? (
        failure === undefined && <Loading />
      ) : errors.Errors.length === 0 ? (
        <div class="empty card" data-testid="no-delivery-errors">
          <h2>No delivery errors</h2>
          <p>
            No delivery of {name} has failed since the server started. Failed deliveries, records written
            under the error output prefix and records sent to the S3 backup appear here.
          </p>
        </div>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Last delivery errors table">
          <table class="table" data-testid="delivery-errors">
            <caption>Last delivery errors of {name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Error code</th>
                <th scope="col">Message</th>
                <th scope="col">Outcome</th>
                <th scope="col">Attempts</th>
                <th scope="col">Records</th>
              </tr>
            </thead>
            <tbody>
              {errors.Errors.map((error, index) => (
                <tr key={`${error.Timestamp}-${index}`}>
                  <td class="nowrap">{formatDate(new Date(error.Timestamp * 1000))}</td>
                  <td>
                    <code>{error.ErrorCode}</code>
                  </td>
                  <td class="error-message">{error.ErrorMessage}</td>
                  <td data-outcome={error.Outcome}>{outcomeLabels[error.Outcome] ?? error.Outcome}</td>
                  <td class="number">{formatNumber(error.AttemptsMade)}</td>
                  <td class="number">{formatNumber(error.RecordCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
