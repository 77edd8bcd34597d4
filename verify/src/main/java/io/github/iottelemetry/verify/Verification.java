package io.github.iottelemetry.verify;

import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The exactly-once check (DESIGN.md, "Exactly once, defined"): every expected window aggregate equals
 * what DynamoDB holds and what the lake holds, nothing is missing or extra, every quarantine
 * reason count matches the faults the simulator injected, and the raw archive holds each Kinesis record once.
 */
public final class Verification {

    public record QuarantineCheck(ReasonCode reason, int expectedAtLeast, int expectedAtMost, int found) {
        public boolean ok() {
            return found >= expectedAtLeast && found <= expectedAtMost;
        }
    }

    /**
     * The raw archive against the ledger: each Kinesis record archived once, every acknowledged counted message there,
     * and nothing the devices did not send. A message can be more than one Kinesis record (the device sent it again, or
     * the IoT rule's Kinesis action retried a put), so messages are not counted here: records are.
     *
     * @param archivedTwice records (shard, sequence number) found in more than one line
     * @param missingAcked acknowledged counted messages (deviceId#seq) with no record in the archive
     * @param unknown archived messages that no counted ledger entry names
     */
    public record RawCheck(
            long records, long archivedTwice, long messages, List<String> missingAcked, List<String> unknown) {
        public boolean ok() {
            return archivedTwice == 0 && missingAcked.isEmpty() && unknown.isEmpty();
        }
    }

    public record Verdict(
            LedgerExpectation ledger,
            int deliveredUnacked,
            Comparison dynamoDb,
            Comparison lake,
            List<QuarantineCheck> quarantine,
            RawCheck raw) {
        public boolean exact() {
            return dynamoDb.isExact()
                    && lake.isExact()
                    && quarantine.stream().allMatch(QuarantineCheck::ok)
                    && raw.ok();
        }
    }

    public static Verdict run(
            LedgerExpectation ledger,
            List<Resolution> resolutions,
            DynamoDbClient dynamo,
            String aggregatesTable,
            LocalQueryEngine lake) {
        Set<String> seen = new HashSet<>();
        Map<WindowMetricKey, Observed> inDynamo = OutputReaders.dynamoDb(dynamo, aggregatesTable, seen);
        Set<String> delivered = new HashSet<>(ledger.unackedMessages());
        delivered.retainAll(seen);
        Map<WindowMetricKey, Observed> expected = ledger.expected(resolutions, delivered);
        Comparison dynamoDb = Comparison.of("DynamoDB " + aggregatesTable, expected, inDynamo);
        Comparison lakeComparison = Comparison.of("lake telemetry_aggregates", expected, OutputReaders.lake(lake));
        Map<ReasonCode, Integer> found = OutputReaders.quarantine(lake);
        List<QuarantineCheck> quarantine = new ArrayList<>();
        for (ReasonCode reason : ReasonCode.values()) {
            int acked = ledger.quarantinedAcked().getOrDefault(reason, 0);
            int unacked = ledger.quarantinedUnacked().getOrDefault(reason, 0);
            quarantine.add(new QuarantineCheck(reason, acked, acked + unacked, found.getOrDefault(reason, 0)));
        }
        return new Verdict(ledger, delivered.size(), dynamoDb, lakeComparison, quarantine, rawCheck(ledger, lake));
    }

    private static RawCheck rawCheck(LedgerExpectation ledger, LocalQueryEngine lake) {
        List<Object> totals = lake.run(
                        "SELECT count(*), count(DISTINCT (kinesisshardid, kinesissequencenumber)) FROM raw_telemetry",
                        List.of())
                .rows()
                .get(0);
        Set<String> archived = new HashSet<>();
        for (List<Object> row : lake.run("SELECT DISTINCT deviceid, seq FROM raw_telemetry", List.of())
                .rows()) {
            archived.add(row.get(0) + "#" + ((Number) row.get(1)).longValue());
        }
        Set<String> counted = ledger.ackedMessages(); // a copy: one per call, of every acknowledged message
        List<String> missing =
                counted.stream().filter(m -> !archived.contains(m)).sorted().toList();
        counted.addAll(ledger.unackedMessages());
        List<String> unknown =
                archived.stream().filter(m -> !counted.contains(m)).sorted().toList();
        long records = ((Number) totals.get(0)).longValue();
        return new RawCheck(records, records - ((Number) totals.get(1)).longValue(), archived.size(), missing, unknown);
    }

    public static void print(Verdict v, PrintStream out) {
        LedgerExpectation l = v.ledger();
        out.printf(
                "ledger: %,d messages (%,d counted and acknowledged, %,d counted but unacknowledged of which %,d arrived,"
                        + " %,d duplicates, %,d quarantined)%s%n",
                l.messages(),
                l.countedAcked(),
                l.countedUnacked(),
                v.deliveredUnacked(),
                l.duplicates(),
                l.quarantinedAcked().values().stream()
                                .mapToInt(Integer::intValue)
                                .sum()
                        + l.quarantinedUnacked().values().stream()
                                .mapToInt(Integer::intValue)
                                .sum(),
                l.complete() ? "" : " -- the ledger is incomplete (its writer died): checking what it recorded");
        for (Comparison c : List.of(v.dynamoDb(), v.lake())) {
            out.printf(
                    "%-34s exact %,d  missing %,d  extra %,d  different %,d%n",
                    c.output() + ":", c.exact(), c.missing(), c.extra(), c.different());
            c.firstDifferences().forEach(d -> out.println("  " + d));
        }
        StringBuilder q = new StringBuilder("quarantine by reason (found / expected):");
        for (QuarantineCheck c : v.quarantine()) {
            q.append(String.format(
                    " %s %d/%s%s",
                    c.reason(),
                    c.found(),
                    c.expectedAtLeast() == c.expectedAtMost()
                            ? String.valueOf(c.expectedAtLeast())
                            : c.expectedAtLeast() + ".." + c.expectedAtMost(),
                    c.ok() ? "" : " MISMATCH"));
        }
        out.println(q);
        RawCheck raw = v.raw();
        out.printf(
                "raw archive: %,d Kinesis records of %,d messages, archived twice %,d, acknowledged messages missing %,d,"
                        + " unknown messages %,d%s%n",
                raw.records(),
                raw.messages(),
                raw.archivedTwice(),
                raw.missingAcked().size(),
                raw.unknown().size(),
                raw.ok() ? "" : " MISMATCH");
        raw.missingAcked().stream().limit(Comparison.SHOWN).forEach(m -> out.println("  missing from raw/ " + m));
        raw.unknown().stream().limit(Comparison.SHOWN).forEach(m -> out.println("  in raw/ but never sent " + m));
        out.println("verdict: " + (v.exact() ? "EXACT" : "NOT EXACT"));
    }
}
