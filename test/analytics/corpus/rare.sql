-- [rare] items: SQL functions, NTH_VALUE FROM FIRST/LAST, // comments (CREATE PUMP page).
CREATE FUNCTION get_fraction(degrees DOUBLE)
    RETURNS DOUBLE
    CONTAINS SQL
    RETURN degrees - FLOOR(degrees);

CREATE OR REPLACE FUNCTION "Clamp"(x INTEGER, low INTEGER, high INTEGER) RETURNS INTEGER
    LANGUAGE SQL SPECIFIC clamp_int NOT DETERMINISTIC READS SQL DATA RETURNS NULL ON NULL INPUT
    RETURN CASE WHEN x < low THEN low WHEN x > high THEN high ELSE x END;

CREATE FUNCTION now_ms() RETURNS BIGINT DETERMINISTIC CALLED ON NULL INPUT CONTAINS SQL RETURN UNIX_TIMESTAMP(CURRENT_TIMESTAMP);

SELECT STREAM get_fraction(price), "Clamp"(CAST(price AS INTEGER), 0, 100), myschema.get_fraction(change) FROM "SOURCE_SQL_STREAM_001";

SELECT STREAM NTH_VALUE(price, 2) FROM FIRST OVER w AS second_price,
        NTH_VALUE(price, 2) FROM LAST IGNORE NULLS OVER w AS penultimate_price
    FROM "SOURCE_SQL_STREAM_001"
    WINDOW w AS (PARTITION BY ticker_symbol ROWS 5 PRECEDING);

CREATE OR REPLACE PUMP "200-ConditionedOrdersPump" AS
    INSERT INTO "ConditionedOrders" ("key_order", "eur") // a column list may cover a subset
    SELECT STREAM "key_order", "eur" FROM "OrderData";
