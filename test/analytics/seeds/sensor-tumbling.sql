CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" ("sensor_id" VARCHAR(32), "sensor" VARCHAR(15),
  "station_id" VARCHAR(32), "sensor_avg_value" double, "sensor_smooth_avg_value" double,
  "60sec_sum_of_sensor_value" double, "60sec_number_of_msg" int, "record_timestamp" TIMESTAMP);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM "sensor_id", "sensor", "station_id",
  AVG("sensor_value"), AVG("sensor_value_smoothed"),
  SUM("sensor_value") AS "60sec_sum_of_sensor_value",
  count(*) AS "60sec_number_of_msg", ROWTIME AS "record_timestamp"
FROM "SOURCE_SQL_STREAM_001"
GROUP BY "sensor_id", "sensor", "station_id",
  FLOOR(("SOURCE_SQL_STREAM_001".ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 60 TO SECOND);
