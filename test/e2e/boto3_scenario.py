"""boto3 end-to-end scenario against a running Tributary server.

Usage: python3 boto3_scenario.py ENDPOINT_URL

Run by test/e2e/boto3.test.ts with Debian's /usr/bin/python3 (package python3-boto3). Every check
is an assert here, so a failure exits non-zero with a traceback naming the step; on success the
script prints one JSON summary on stdout, which the TypeScript test checks again. The name is
snake_case because Python module names cannot hold hyphens.
"""

import datetime
import json
import sys
import time

import boto3
import botocore.config

STREAM = "boto3-e2e-stream"
ALL_BYTES = bytes(range(256))


def make_client(endpoint, validate=True):
    config = botocore.config.Config(
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
        # Off only for the call that must reach the server with a value boto3 would refuse.
        parameter_validation=validate,
    )
    return boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
    )


def expect_error(code, call, **kwargs):
    """Calls and returns the error message; fails if no botocore ClientError with `code` is raised."""
    try:
        call(**kwargs)
    except Exception as error:  # botocore builds the exception classes at run time
        actual = getattr(error, "response", {}).get("Error", {}).get("Code")
        assert actual == code, f"expected {code}, got {actual}: {error!r}"
        return error.response["Error"].get("Message", "")
    raise AssertionError(f"expected {code} from {call.__name__}({kwargs}), got success")


def read_shard(client, shard_id, iterator_type, **position):
    """Reads one shard from a position until an empty page; bounded to 50 pages."""
    iterator = client.get_shard_iterator(
        StreamName=STREAM, ShardId=shard_id, ShardIteratorType=iterator_type, **position
    )["ShardIterator"]
    records = []
    for _ in range(50):
        page = client.get_records(ShardIterator=iterator, Limit=1000)
        records.extend(page["Records"])
        iterator = page.get("NextShardIterator")
        if not page["Records"] or iterator is None:
            break
    return records


def main(endpoint):
    client = make_client(endpoint)
    summary = {}

    client.create_stream(StreamName=STREAM, ShardCount=2)
    client.get_waiter("stream_exists").wait(
        StreamName=STREAM, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50}
    )
    description = client.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
    summary["status"] = description["StreamStatus"]
    summary["openShardCount"] = description["OpenShardCount"]

    # Binary data: every byte value, in a single record and in a batch.
    put = client.put_record(StreamName=STREAM, PartitionKey="binary", Data=ALL_BYTES)
    sent = {put["SequenceNumber"]: (ALL_BYTES, "binary", put["ShardId"])}
    batch = [
        {"Data": ALL_BYTES[i:] + ALL_BYTES[:i], "PartitionKey": f"key-{i}"} for i in range(0, 256, 8)
    ]
    result = client.put_records(StreamName=STREAM, Records=batch)
    assert result.get("FailedRecordCount", 0) == 0, result
    assert len(result["Records"]) == len(batch)
    for entry, record in zip(result["Records"], batch):
        sent[entry["SequenceNumber"]] = (record["Data"], record["PartitionKey"], entry["ShardId"])
    summary["putCount"] = len(sent)

    # ListShards one shard per page: the NextToken is sent alone, without the stream name.
    pages = []
    page = client.list_shards(StreamName=STREAM, MaxResults=1)
    pages.append([shard["ShardId"] for shard in page["Shards"]])
    for _ in range(10):
        if "NextToken" not in page:
            break
        page = client.list_shards(NextToken=page["NextToken"], MaxResults=1)
        pages.append([shard["ShardId"] for shard in page["Shards"]])
    shard_ids = [shard_id for page_ids in pages for shard_id in page_ids]
    assert shard_ids == ["shardId-000000000000", "shardId-000000000001"], pages
    summary["listShardsPages"] = len([ids for ids in pages if ids])

    # TRIM_HORIZON round trip: exact bytes, partition keys and shards, increasing order per shard.
    received = {}
    for shard_id in shard_ids:
        previous = -1
        for record in read_shard(client, shard_id, "TRIM_HORIZON"):
            sequence = int(record["SequenceNumber"])
            assert sequence > previous, f"out of order in {shard_id}"
            previous = sequence
            received[record["SequenceNumber"]] = (record["Data"], record["PartitionKey"], shard_id)
            assert isinstance(record["ApproximateArrivalTimestamp"], datetime.datetime)
    assert received == sent, "records read back differ from records written"
    summary["roundTrip"] = len(received)

    # Positions: three records under one key land in one shard, in order.
    seq_puts = [
        client.put_record(StreamName=STREAM, PartitionKey="ordered", Data=f"ordered-{i}".encode())
        for i in range(3)
    ]
    shard = seq_puts[0]["ShardId"]
    assert all(entry["ShardId"] == shard for entry in seq_puts)
    middle = seq_puts[1]["SequenceNumber"]
    at = read_shard(client, shard, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=middle)
    assert [r["SequenceNumber"] for r in at] == [middle, seq_puts[2]["SequenceNumber"]], at
    after = read_shard(client, shard, "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=middle)
    assert [r["SequenceNumber"] for r in after] == [seq_puts[2]["SequenceNumber"]], after
    summary["atSequenceFirst"] = at[0]["Data"].decode()
    summary["afterSequenceData"] = [r["Data"].decode() for r in after]

    # AT_TIMESTAMP: botocore sends whole seconds, so cross a second boundary first; everything
    # written before it is then older than the timestamp and must not be returned.
    time.sleep(1.05 - (time.time() % 1))
    boundary = datetime.datetime.fromtimestamp(int(time.time()), tz=datetime.timezone.utc)
    late = client.put_record(StreamName=STREAM, PartitionKey="ordered", Data=b"after-boundary")
    from_time = read_shard(client, shard, "AT_TIMESTAMP", Timestamp=boundary)
    assert [r["SequenceNumber"] for r in from_time] == [late["SequenceNumber"]], from_time
    summary["atTimestampData"] = [r["Data"].decode() for r in from_time]

    # Error mapping: the modeled exception classes, and the codes behind them.
    errors = {}
    try:
        client.describe_stream_summary(StreamName="no-such-stream")
        raise AssertionError("describe_stream_summary of a missing stream succeeded")
    except client.exceptions.ResourceNotFoundException as error:
        errors["missingStream"] = error.response["Error"]["Code"]
        assert "no-such-stream" in error.response["Error"]["Message"]
    expect_error(
        "InvalidArgumentException", client.get_records, ShardIterator="AAAAAAAAAAAAAAAA-not-a-real-iterator"
    )
    errors["invalidIterator"] = "InvalidArgumentException"
    expect_error(
        "InvalidArgumentException",
        client.get_shard_iterator,
        StreamName=STREAM,
        ShardId=shard,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
    )
    errors["sequenceWithoutNumber"] = "InvalidArgumentException"
    try:
        client.get_shard_iterator(
            StreamName=STREAM, ShardId="shardId-000000000099", ShardIteratorType="TRIM_HORIZON"
        )
        raise AssertionError("get_shard_iterator of a missing shard succeeded")
    except client.exceptions.ResourceNotFoundException as error:
        errors["missingShard"] = error.response["Error"]["Code"]
    iterator = client.get_shard_iterator(StreamName=STREAM, ShardId=shard, ShardIteratorType="LATEST")[
        "ShardIterator"
    ]
    message = expect_error(
        "ValidationException", make_client(endpoint, validate=False).get_records, ShardIterator=iterator, Limit=0
    )
    assert "limit" in message, message
    errors["limitZero"] = "ValidationException"
    summary["errors"] = errors

    client.delete_stream(StreamName=STREAM)
    client.get_waiter("stream_not_exists").wait(
        StreamName=STREAM, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50}
    )
    summary["streamsAfterDelete"] = client.list_streams()["StreamNames"]

    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: boto3_scenario.py ENDPOINT_URL")
    main(sys.argv[1])
