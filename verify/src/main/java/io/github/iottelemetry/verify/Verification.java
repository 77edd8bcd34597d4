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
 * what DynamoDB holds and what the lake holds, nothing is missing or extra, and every quarantine
 * reason count matches the faults the simulator injected.
 */
public final class Verification {

    public record QuarantineCheck(ReasonCode reason, int expectedAtLeast, int expectedAtMost, int found) {
        public boolean ok() {
            return found >= expectedAtLeast && found <= expectedAtMost;
        }
    }

    public record Verdict(LedgerExpectation ledger, int deliveredUnacked, Comparison dynamoDb, Comparison lake,
                          List<QuarantineCheck> quarantine) {
        public boolean exact() {
            return dynamoDb.isExact() && lake.isExact() && quarantine.stream().allMatch(QuarantineCheck::ok);
        }
    }

    public static Verdict run(LedgerExpectation ledger, List<Resolution> resolutions, DynamoDbClient dynamo, String aggregatesTable,
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
        return new Verdict(ledger, delivered.size(), dynamoDb, lakeComparison, quarantine);
    }

    public static void print(Verdict v, PrintStream out) {
        LedgerExpectation l = v.ledger();
        out.printf("ledger: %,d messages (%,d counted and acknowledged, %,d counted but unacknowledged of which %,d arrived,"
                        + " %,d duplicates, %,d quarantined)%s%n", l.messages(), l.countedAcked(), l.countedUnacked(),
                v.deliveredUnacked(), l.duplicates(),
                l.quarantinedAcked().values().stream().mapToInt(Integer::intValue).sum()
                        + l.quarantinedUnacked().values().stream().mapToInt(Integer::intValue).sum(),
                l.complete() ? "" : " -- the ledger is incomplete (its writer died): checking what it recorded");
        for (Comparison c : List.of(v.dynamoDb(), v.lake())) {
            out.printf("%-34s exact %,d  missing %,d  extra %,d  different %,d%n", c.output() + ":", c.exact(), c.missing(),
                    c.extra(), c.different());
            c.firstDifferences().forEach(d -> out.println("  " + d));
        }
        StringBuilder q = new StringBuilder("quarantine by reason (found / expected):");
        for (QuarantineCheck c : v.quarantine()) {
            q.append(String.format(" %s %d/%s%s", c.reason(), c.found(),
                    c.expectedAtLeast() == c.expectedAtMost() ? String.valueOf(c.expectedAtLeast())
                            : c.expectedAtLeast() + ".." + c.expectedAtMost(), c.ok() ? "" : " MISMATCH"));
        }
        out.println(q);
        out.println("verdict: " + (v.exact() ? "EXACT" : "NOT EXACT"));
    }
}
