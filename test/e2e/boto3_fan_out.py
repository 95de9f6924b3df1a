"""boto3 enhanced fan-out scenario against a running Tributary server.

Usage: python3 boto3_fan_out.py ENDPOINT_URL

Run by test/e2e/boto3-fan-out.test.ts with Debian's /usr/bin/python3 (package python3-boto3).
boto3 reads SubscribeToShard's event stream over HTTP/1.1 (chunked). Every check is an assert
here; on success the script prints one JSON summary, which the TypeScript test checks again.
"""

import json
import sys
import time

import boto3
import botocore.config

STREAM = "boto3-fan-out"
SHARD = "shardId-000000000000"


def make_client(endpoint):
    config = botocore.config.Config(
        retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30
    )
    return boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
    )


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except Exception as error:  # botocore builds the exception classes at run time
        return getattr(error, "response", {}).get("Error", {}).get("Code")
    raise AssertionError(f"expected an error from {call.__name__}({kwargs})")


def wait_for(check, what, tries=170):
    # 16 polls a second: under DescribeStreamConsumer's 20 a second per stream (--limits aws).
    for _ in range(tries):
        if check():
            return
        time.sleep(0.06)
    raise AssertionError(f"timed out waiting for {what}")


def consumer_status(client, arn):
    try:
        return client.describe_stream_consumer(ConsumerARN=arn)["ConsumerDescription"]["ConsumerStatus"]
    except client.exceptions.ResourceNotFoundException:
        return None
    except client.exceptions.LimitExceededException:
        return "THROTTLED"  # not an answer: the caller polls again


def read_records(client, consumer_arn, count, **position):
    """Subscribes and reads events until `count` records arrived; closes the response."""
    response = client.subscribe_to_shard(
        ConsumerARN=consumer_arn, ShardId=SHARD, StartingPosition=position
    )
    stream = response["EventStream"]
    records, continuation = [], None
    try:
        for event in stream:
            body = event["SubscribeToShardEvent"]
            records.extend(body["Records"])
            continuation = body["ContinuationSequenceNumber"]
            assert body["MillisBehindLatest"] >= 0
            if len(records) >= count:
                break
    finally:
        stream.close()
    return records, continuation


def main(endpoint):
    client = make_client(endpoint)
    client.create_stream(StreamName=STREAM, ShardCount=1)
    wait_for(
        lambda: client.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]["StreamStatus"]
        == "ACTIVE",
        "the stream",
    )
    stream_arn = client.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]["StreamARN"]

    # Debian's botocore predates consumer tags (Tags, TagResource): test/e2e/validation covers them.
    registered = client.register_stream_consumer(StreamARN=stream_arn, ConsumerName="boto3-reader")["Consumer"]
    consumer_arn = registered["ConsumerARN"]
    assert consumer_arn.startswith(stream_arn + "/consumer/boto3-reader:"), consumer_arn
    assert registered["ConsumerStatus"] == "CREATING"
    other = client.register_stream_consumer(StreamARN=stream_arn, ConsumerName="another")["Consumer"]
    wait_for(lambda: consumer_status(client, consumer_arn) == "ACTIVE", "the consumer")
    wait_for(lambda: consumer_status(client, other["ConsumerARN"]) == "ACTIVE", "the other consumer")

    first_page = client.list_stream_consumers(StreamARN=stream_arn, MaxResults=1)
    second_page = client.list_stream_consumers(
        StreamARN=stream_arn, MaxResults=1, NextToken=first_page["NextToken"]
    )
    listed = [c["ConsumerName"] for c in first_page["Consumers"] + second_page["Consumers"]]
    assert "NextToken" not in second_page, second_page

    for index in range(5):
        client.put_record(StreamName=STREAM, PartitionKey="k", Data=f"first-{index}".encode())
    first, continuation = read_records(client, consumer_arn, 5, Type="TRIM_HORIZON")
    assert [r["Data"] for r in first] == [f"first-{i}".encode() for i in range(5)], first
    assert continuation == first[-1]["SequenceNumber"]

    for index in range(2):
        client.put_record(StreamName=STREAM, PartitionKey="k", Data=f"second-{index}".encode())
    # The closed response ends the old subscription; the next one is not a duplicate.
    time.sleep(0.3)
    resumed, _ = read_records(
        client, consumer_arn, 2, Type="AFTER_SEQUENCE_NUMBER", SequenceNumber=continuation
    )

    errors = {
        "duplicateName": error_code(
            client.register_stream_consumer, StreamARN=stream_arn, ConsumerName="boto3-reader"
        ),
        "unknownConsumer": error_code(
            client.subscribe_to_shard,
            ConsumerARN=stream_arn + "/consumer/nobody:1700000000",
            ShardId=SHARD,
            StartingPosition={"Type": "LATEST"},
        ),
        "unknownShard": error_code(
            client.subscribe_to_shard,
            ConsumerARN=consumer_arn,
            ShardId="shardId-000000000009",
            StartingPosition={"Type": "LATEST"},
        ),
        "noConsumerNamed": error_code(client.describe_stream_consumer),
        "deleteWithConsumers": error_code(client.delete_stream, StreamName=STREAM),
    }

    client.deregister_stream_consumer(ConsumerARN=other["ConsumerARN"])
    deleting = consumer_status(client, other["ConsumerARN"])
    wait_for(lambda: consumer_status(client, other["ConsumerARN"]) is None, "the deregistration")
    remaining = [c["ConsumerName"] for c in client.list_stream_consumers(StreamARN=stream_arn)["Consumers"]]

    print(
        json.dumps(
            {
                "listed": listed,
                "firstCount": len(first),
                "resumed": [r["Data"].decode() for r in resumed],
                "errors": errors,
                "deleting": deleting,
                "remaining": remaining,
                "consumerCount": client.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"][
                    "ConsumerCount"
                ],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
