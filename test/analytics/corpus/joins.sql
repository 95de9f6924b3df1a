-- Stream-to-table joins with reference data [core] and windowed stream-to-stream joins [common] (§5.9).
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM ticker_symbol, "c"."Company", sector, change, price
    FROM "SOURCE_SQL_STREAM_001" LEFT JOIN "CompanyName" AS "c"
    ON "SOURCE_SQL_STREAM_001".ticker_symbol = "c"."Ticker";

SELECT STREAM s.ticker_symbol, c."Company" FROM "SOURCE_SQL_STREAM_001" AS s INNER JOIN "CompanyName" AS c ON s.ticker_symbol = c."Ticker";

SELECT STREAM s.ticker_symbol, c."Company" FROM "SOURCE_SQL_STREAM_001" s JOIN "CompanyName" c ON s.ticker_symbol = c."Ticker";

SELECT STREAM ROWTIME, o."orderId", o."ticker", o."amount" AS "orderAmount", t."amount" AS "tradeAmount"
    FROM "Orders" AS o
    JOIN "Trades" OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS t
    ON o."orderId" = t."orderId";

SELECT STREAM o.ROWTIME AS order_time, t.ROWTIME AS trade_time, o."orderId"
    FROM "Orders" OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
    LEFT OUTER JOIN "Trades" OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS t
    ON o."orderId" = t."orderId";

SELECT STREAM o."orderId" FROM "Orders" AS o RIGHT JOIN "Trades" AS t OVER w ON o."orderId" = t."orderId"
    WINDOW w AS (RANGE INTERVAL '1' HOUR PRECEDING);

SELECT STREAM o."orderId" FROM "Orders" AS o FULL OUTER JOIN "Trades" OVER (ROWS 10 PRECEDING) AS t ON o."orderId" = t."orderId";

SELECT STREAM * FROM "Orders" CROSS JOIN "Regions";

SELECT STREAM * FROM "Orders", "Regions" AS r WHERE "Orders"."region" = r."region";

SELECT STREAM * FROM "Orders" NATURAL JOIN "Regions";

SELECT STREAM * FROM "Orders" AS o JOIN "Regions" AS r USING ("region") LEFT JOIN "Managers" AS m ON r."manager" = m."id";

SELECT STREAM * FROM "Orders" AS o JOIN ("Regions" AS r JOIN "Managers" AS m ON r."manager" = m."id") ON o."region" = r."region";

SELECT STREAM o."orderId", t."amount"
    FROM "Orders" AS o
    JOIN "Trades" OVER (ORDER BY "Trades".ROWTIME RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS t
    ON o."orderId" = t."orderId";
