"""boto3 meets Tributary's AWS limits (--limits aws) and its retry logic rides over them.

Usage: python3 boto3_limits.py ENDPOINT_URL

Run by test/e2e/limits.test.ts with Debian's /usr/bin/python3 (package python3-boto3). Every
check is an assert here; on success the script prints one JSON summary on stdout, which the
TypeScript test checks again.
"""

import concurrent.futures
import json
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

STREAM = "boto3-limits"
MIB = 1024 * 1024


def make_client(endpoint, attempts):
    config = botocore.config.Config(
        retries={"max_attempts": attempts, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
        max_pool_connections=20,
    )
    return boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
    )


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    return None


def main(endpoint):
    once = make_client(endpoint, 1)
    retrying = make_client(endpoint, 12)

    # The test made the stream (1 shard, MaxRecordSizeInKiB 4096: this boto3 may predate
    # UpdateMaxRecordSize) and waited until it was ACTIVE.
    summary = retrying.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE", summary

    # PutRecords past 1,000 records a second on one shard: per-record failures in a 200 answer.
    batch = [{"Data": b"r%d" % index, "PartitionKey": "k%d" % index} for index in range(500)]
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        for _ in range(5):
            futures = [pool.submit(once.put_records, StreamName=STREAM, Records=batch) for _ in range(5)]
            for future in futures:
                result = future.result()
                assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
                failures = [record for record in result["Records"] if "ErrorCode" in record]
                assert result["FailedRecordCount"] == len(failures)
                failed.extend(failures)
            if failed:
                break
    assert failed, "no record was throttled"
    assert {(record["ErrorCode"], record["ErrorMessage"]) for record in failed} == {
        (
            "ProvisionedThroughputExceededException",
            "Rate exceeded for shard shardId-000000000000 in stream %s under account 000000000000." % STREAM,
        )
    }

    # A 3 MiB record leaves the shard's write throughput two seconds in debt: PutRecord is
    # throttled, and boto3's standard retries carry a later one through.
    time.sleep(1.1)
    retrying.put_record(StreamName=STREAM, PartitionKey="k", Data=b"\0" * (3 * MIB))
    throttled = error_code(lambda: once.put_record(StreamName=STREAM, PartitionKey="k", Data=b"x"))
    put = retrying.put_record(StreamName=STREAM, PartitionKey="k", Data=b"y")
    retries = put["ResponseMetadata"]["RetryAttempts"]
    assert retries >= 1, put["ResponseMetadata"]

    # Control-plane bursts: LimitExceededException without retries, success with them.
    with concurrent.futures.ThreadPoolExecutor(max_workers=15) as pool:
        codes = list(pool.map(lambda _: error_code(lambda: once.list_streams()), range(15)))
    limited = sorted({code for code in codes if code is not None})
    retried = [retrying.list_streams()["StreamNames"] for _ in range(8)]
    assert all(names == [STREAM] for names in retried), retried

    print(
        json.dumps(
            {
                "recordsThrottled": len(failed) > 0,
                "putRecordThrottled": list(throttled) if throttled else None,
                "putRecordRetried": retries >= 1,
                "controlPlane": [list(code) for code in limited],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
