"""boto3 scenario for the Kinesis Analytics API against a running Tributary server.

Usage: python3 boto3_analytics.py ENDPOINT_URL

Run by test/analytics/e2e/boto3-analytics.test.ts with Debian's /usr/bin/python3 (python3-boto3):
the seed walkthrough's control-plane steps. A stream `test-kinesis` with 2 shards gets sensor
records; DiscoverInputSchema infers their schema; the application `test-analytics` is created
with it and the seed-style SQL, given a Kinesis stream output, tagged, updated,
started (RUNNING on the SQL engine), and deleted with
its CreateTimestamp. Every check is an assert here; on success one JSON summary goes to stdout.
"""

import json
import sys
import time

import boto3
import botocore.config

ROLE = "arn:aws:iam::000000000000:role/analytics"
SQL = """CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (sensor VARCHAR(16), avg_temp REAL);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM "sensor", AVG("temperature") FROM "SOURCE_SQL_STREAM_001"
GROUP BY "sensor", STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
"""


def client(service, endpoint):
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30)
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
    )


def error_code(call):
    try:
        call()
    except Exception as error:  # botocore ClientError
        return error.response["Error"]["Code"]
    raise AssertionError("the call succeeded")


def main(endpoint):
    kinesis = client("kinesis", endpoint)
    analytics = client("kinesisanalytics", endpoint)
    kinesis.create_stream(StreamName="test-kinesis", ShardCount=2)
    kinesis.get_waiter("stream_exists").wait(StreamName="test-kinesis", WaiterConfig={"Delay": 0.1})
    stream_arn = kinesis.describe_stream_summary(StreamName="test-kinesis")["StreamDescriptionSummary"]["StreamARN"]
    kinesis.put_records(
        StreamName="test-kinesis",
        Records=[
            {"Data": json.dumps({"sensor": f"sensor-{i % 3}", "temperature": 20.5 + i}).encode(), "PartitionKey": str(i)}
            for i in range(12)
        ],
    )

    discovered = analytics.discover_input_schema(
        ResourceARN=stream_arn,
        RoleARN=ROLE,
        InputStartingPositionConfiguration={"InputStartingPosition": "NOW"},
    )
    schema = discovered["InputSchema"]
    columns = [(c["Name"], c["Mapping"], c["SqlType"]) for c in schema["RecordColumns"]]
    assert columns == [("sensor", "$.sensor", "VARCHAR(16)"), ("temperature", "$.temperature", "REAL")], columns
    assert len(discovered["RawInputRecords"]) == 12

    created = analytics.create_application(
        ApplicationName="test-analytics",
        ApplicationCode=SQL,
        Inputs=[
            {
                "NamePrefix": "SOURCE_SQL_STREAM",
                "KinesisStreamsInput": {"ResourceARN": stream_arn, "RoleARN": ROLE},
                "InputSchema": schema,
            }
        ],
        Tags=[{"Key": "seed", "Value": "004"}],
    )
    assert created["ApplicationSummary"]["ApplicationStatus"] == "READY"
    detail = analytics.describe_application(ApplicationName="test-analytics")["ApplicationDetail"]
    created_at = detail["CreateTimestamp"]
    assert detail["InputDescriptions"][0]["InAppStreamNames"] == ["SOURCE_SQL_STREAM_001"]

    analytics.add_application_output(
        ApplicationName="test-analytics",
        CurrentApplicationVersionId=detail["ApplicationVersionId"],
        Output={
            "Name": "DESTINATION_SQL_STREAM",
            "KinesisStreamsOutput": {"ResourceARN": stream_arn.replace("test-kinesis", "results"), "RoleARN": ROLE},
            "DestinationSchema": {"RecordFormatType": "JSON"},
        },
    )
    stale = error_code(
        lambda: analytics.update_application(
            ApplicationName="test-analytics",
            CurrentApplicationVersionId=detail["ApplicationVersionId"],
            ApplicationUpdate={"ApplicationCodeUpdate": SQL},
        )
    )
    bad_code = error_code(
        lambda: analytics.update_application(
            ApplicationName="test-analytics",
            CurrentApplicationVersionId=detail["ApplicationVersionId"] + 1,
            ApplicationUpdate={"ApplicationCodeUpdate": "SELECT STREAM FROM"},
        )
    )
    arn = created["ApplicationSummary"]["ApplicationARN"]
    analytics.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "data"}])
    tags = analytics.list_tags_for_resource(ResourceARN=arn)["Tags"]
    analytics.start_application(
        ApplicationName="test-analytics",
        InputConfigurations=[{"Id": "1.1", "InputStartingPositionConfiguration": {"InputStartingPosition": "NOW"}}],
    )
    deadline = time.time() + 20
    start = None
    while time.time() < deadline:
        start = analytics.describe_application(ApplicationName="test-analytics")["ApplicationDetail"]["ApplicationStatus"]
        if start == "RUNNING":
            break
        time.sleep(0.05)
    listed = [s["ApplicationName"] for s in analytics.list_applications()["ApplicationSummaries"]]
    version = analytics.describe_application(ApplicationName="test-analytics")["ApplicationDetail"]["ApplicationVersionId"]

    analytics.delete_application(ApplicationName="test-analytics", CreateTimestamp=created_at)
    deadline = time.time() + 20
    gone = None
    while time.time() < deadline:
        try:
            analytics.describe_application(ApplicationName="test-analytics")
        except analytics.exceptions.ResourceNotFoundException:
            gone = "ResourceNotFoundException"
            break
        time.sleep(0.05)
    print(
        json.dumps(
            {
                "columns": [list(c) for c in columns],
                "listed": listed,
                "version": version,
                "tags": tags,
                "errors": {"stale": stale, "badCode": bad_code, "start": start},
                "gone": gone,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
