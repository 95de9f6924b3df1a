"""boto3 Firehose scenario against a running Tributary server.

Usage: python3 boto3_firehose.py ENDPOINT_URL DATA_DIR

Run by test/e2e/boto3-firehose.test.ts with Debian's /usr/bin/python3 (package python3-boto3);
the server runs with --firehose-buffer-interval-ms-max 1000, since botocore refuses intervals
under 60 s. Every check is an assert here; on success the script prints one JSON summary.
"""

import gzip
import json
import os
import sys
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::000000000000:role/firehose"
BUCKET = "boto3-firehose-bucket"


def make_client(service, endpoint):
    config = botocore.config.Config(
        retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30
    )
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
    )


def wait_status(firehose, name, wanted):
    for _ in range(200):
        status = firehose.describe_delivery_stream(DeliveryStreamName=name)[
            "DeliveryStreamDescription"
        ]["DeliveryStreamStatus"]
        if status == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"{name} not {wanted}")


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    raise AssertionError("expected an error")


def error_of(call):
    """The code, message and HTTP status of the error a call answers."""
    try:
        call()
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"]["Message"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    raise AssertionError("expected an error")


def bucket_objects(data_dir):
    root = os.path.join(data_dir, "buckets", BUCKET)
    objects = {}
    for directory, _, files in os.walk(root):
        for name in files:
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                objects[os.path.relpath(path, root)] = handle.read()
    return objects


def main():
    endpoint, data_dir = sys.argv[1], sys.argv[2]
    firehose = make_client("firehose", endpoint)

    arn = firehose.create_delivery_stream(
        DeliveryStreamName="boto3-stream",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "Prefix": "boto3/!{timestamp:yyyy}/",
            "ErrorOutputPrefix": "boto3-errors/!{firehose:error-output-type}/",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
            "CompressionFormat": "GZIP",
            "ProcessingConfiguration": {
                "Enabled": True,
                "Processors": [{"Type": "AppendDelimiterToRecord"}],
            },
        },
        Tags=[{"Key": "owner", "Value": "boto3"}],
    )["DeliveryStreamARN"]
    assert arn == "arn:aws:firehose:us-east-1:000000000000:deliverystream/boto3-stream", arn
    wait_status(firehose, "boto3-stream", "ACTIVE")

    description = firehose.describe_delivery_stream(DeliveryStreamName="boto3-stream")[
        "DeliveryStreamDescription"
    ]
    destination = description["Destinations"][0]
    extended = destination["ExtendedS3DestinationDescription"]
    assert extended["CompressionFormat"] == "GZIP"
    assert extended["ProcessingConfiguration"] == {
        "Enabled": True,
        "Processors": [{"Type": "AppendDelimiterToRecord", "Parameters": []}],
    }, extended["ProcessingConfiguration"]
    assert destination["S3DestinationDescription"]["Prefix"] == "boto3/!{timestamp:yyyy}/"

    records = [json.dumps({"id": index, "payload": "é" * (index % 5)}) for index in range(250)]
    response = firehose.put_record_batch(
        DeliveryStreamName="boto3-stream",
        Records=[{"Data": record.encode("utf-8")} for record in records],
    )
    assert response["FailedPutCount"] == 0
    assert len(response["RequestResponses"]) == 250
    single = firehose.put_record(
        DeliveryStreamName="boto3-stream", Record={"Data": b'{"id": "single"}'}
    )
    assert len(single["RecordId"]) > 20
    records.append('{"id": "single"}')

    deadline = time.time() + 30
    lines = []
    while time.time() < deadline:
        objects = bucket_objects(data_dir)
        lines = sorted(
            line
            for body in objects.values()
            for line in gzip.decompress(body).decode("utf-8").split("\n")
            if line
        )
        if len(lines) >= len(records):
            break
        time.sleep(0.2)
    assert lines == sorted(records), f"{len(lines)} lines delivered of {len(records)}"
    keys = sorted(bucket_objects(data_dir))
    assert all(key.startswith("boto3/") and key.endswith(".gz") for key in keys), keys

    tags = firehose.list_tags_for_delivery_stream(DeliveryStreamName="boto3-stream")
    errors = {
        "missing": error_code(
            lambda: firehose.describe_delivery_stream(DeliveryStreamName="missing")
        ),
        "duplicate": error_code(
            lambda: firehose.create_delivery_stream(
                DeliveryStreamName="boto3-stream",
                S3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::b"},
            )
        ),
        "staleVersion": error_code(
            lambda: firehose.update_destination(
                DeliveryStreamName="boto3-stream",
                CurrentDeliveryStreamVersionId="7",
                DestinationId=destination["DestinationId"],
                ExtendedS3DestinationUpdate={"Prefix": "x/"},
            )
        ),
        # ORC output is not built: refused at create, before any Glue lookup.
        "orc": error_of(
            lambda: firehose.create_delivery_stream(
                DeliveryStreamName="boto3-orc",
                ExtendedS3DestinationConfiguration={
                    "RoleARN": ROLE,
                    "BucketARN": "arn:aws:s3:::b",
                    "BufferingHints": {"SizeInMBs": 64, "IntervalInSeconds": 60},
                    "DataFormatConversionConfiguration": {
                        "Enabled": True,
                        "SchemaConfiguration": {"RoleARN": ROLE, "DatabaseName": "db", "TableName": "t"},
                        "InputFormatConfiguration": {"Deserializer": {"OpenXJsonSerDe": {}}},
                        "OutputFormatConfiguration": {"Serializer": {"OrcSerDe": {"Compression": "ZLIB"}}},
                    },
                },
            )
        ),
    }
    firehose.delete_delivery_stream(DeliveryStreamName="boto3-stream")
    for _ in range(200):
        if not firehose.list_delivery_streams()["DeliveryStreamNames"]:
            break
        time.sleep(0.05)
    print(
        json.dumps(
            {
                "delivered": len(lines),
                "tags": tags["Tags"],
                "errors": errors,
                "afterDelete": firehose.list_delivery_streams()["DeliveryStreamNames"],
            }
        )
    )


if __name__ == "__main__":
    main()
