/**
 * Readers of a delivery stream's Direct PUT log other than its delivery worker (analytics
 * applications with a KinesisFirehoseInput, running or stopped): the lowest offset any of them
 * still needs. Delivered segments are dropped only below it, and never later than
 * `limits.directPutReaderHoldMsMax` (AWS keeps delivery stream data 24 hours), so a forgotten
 * stopped reader cannot fill the disk. The server wires the analytics side in; Firehose knows
 * nothing of analytics.
 */

export interface DirectPutHolds {
  /**
   * The lowest offset of `logId` (the Direct PUT log of the delivery stream `deliveryStreamArn`)
   * that another reader has not read yet; undefined when no reader holds any.
   */
  heldOffset(deliveryStreamArn: string, logId: string): Promise<number | undefined>;
}

export const noDirectPutHolds: DirectPutHolds = {
  heldOffset: () => Promise.resolve(undefined),
};
