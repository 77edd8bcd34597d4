package io.github.iottelemetry.cost.estimate;

import io.github.iottelemetry.cost.CostInputException;
import io.github.iottelemetry.cost.price.Price;
import io.github.iottelemetry.cost.price.PriceTable.RegionPrices;
import io.github.iottelemetry.cost.settings.LifecycleRule;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Steady-state storage of one lake prefix: objects arriving every day spend the days between the lifecycle rules'
 * transitions in each storage class, until they expire. Only the rules that cover the prefix and whose size filter
 * (ObjectSizeGreaterThan) the objects pass apply; expiry comes from the prefix's expiration rule, or
 * DataRetentionDays when none sets one. A class with a minimum storage duration bills at least that many days,
 * and Standard-IA and Glacier Instant Retrieval bill an object as at least 128 KB.
 */
final class StorageLines {

    /** Storage classes as CloudFormation names them, with their price unit, minimum days and billing floor per object. */
    private record StorageClass(
            String unit,
            String transitionUnit,
            int minimumDays,
            double minimumObjectBytes,
            double overheadBytesPerObject) {}

    private static final Map<String, StorageClass> STORAGE_CLASSES = Map.of(
            "STANDARD", new StorageClass("standard-gb-month", null, 0, 0, 0),
            "STANDARD_IA",
                    new StorageClass(
                            "standard-ia-gb-month", "transition-standard-ia-thousand", 30, 128 * CostModel.KIB, 0),
            "GLACIER_IR",
                    new StorageClass(
                            "glacier-ir-gb-month", "transition-glacier-ir-thousand", 90, 128 * CostModel.KIB, 0),
            "GLACIER",
                    new StorageClass(
                            "glacier-flexible-gb-month",
                            "transition-glacier-flexible-thousand",
                            90,
                            0,
                            40 * CostModel.KIB),
            "DEEP_ARCHIVE",
                    new StorageClass(
                            "deep-archive-gb-month", "transition-deep-archive-thousand", 180, 0, 40 * CostModel.KIB));

    private StorageLines() {}

    static void price(
            String prefix,
            double objectsPerDay,
            double objectBytes,
            double daysPerMonth,
            PipelineSettings settings,
            RegionPrices prices,
            List<LineItem> items,
            List<String> notes,
            String lever) {
        List<LifecycleRule> rules = settings.lake().lifecycle().stream()
                .filter(rule -> rule.covers(prefix))
                .toList();
        Optional<Integer> expiration = rules.stream()
                .map(LifecycleRule::expirationDays)
                .flatMap(Optional::stream)
                .min(Integer::compareTo);
        int horizon = expiration.orElse(settings.lake().dataRetentionDays());
        if (expiration.isEmpty()) {
            notes.add("lake " + prefix
                    + ": no lifecycle expiration in the template, so storage is counted over DataRetentionDays ("
                    + settings.lake().dataRetentionDays() + " days); without one it grows every month");
        }
        List<LifecycleRule.Transition> stages = new ArrayList<>();
        stages.add(new LifecycleRule.Transition(0, "STANDARD"));
        List<LifecycleRule> sizeFiltered = new ArrayList<>();
        for (LifecycleRule rule : rules) {
            if (rule.transitions().isEmpty()) {
                continue;
            }
            if (!rule.appliesToSize(objectBytes)) {
                sizeFiltered.add(rule);
                continue;
            }
            rule.transitions().stream()
                    .filter(transition -> transition.days() < horizon)
                    .forEach(stages::add);
        }
        stages.sort(Comparator.comparingInt(LifecycleRule.Transition::days));
        for (LifecycleRule rule : sizeFiltered) {
            notes.add(String.format(
                    Locale.ROOT,
                    "lake %s: objects of %.1f KB stay in %s: lifecycle rule %s moves only objects over" + " %d bytes",
                    prefix,
                    objectBytes / CostModel.KIB,
                    stages.get(stages.size() - 1).storageClass(),
                    rule.id(),
                    rule.objectSizeGreaterThan().orElseThrow()));
        }
        for (int i = 0; i < stages.size(); i++) {
            LifecycleRule.Transition stage = stages.get(i);
            StorageClass storageClass = STORAGE_CLASSES.get(stage.storageClass());
            if (storageClass == null) {
                throw new CostInputException(settings.templateSource() + " lake lifecycle moves " + prefix + " to "
                        + stage.storageClass() + ", which the price table does not price (it prices "
                        + STORAGE_CLASSES.keySet() + ")");
            }
            int end = i + 1 < stages.size() ? stages.get(i + 1).days() : horizon;
            int billedDays = Math.max(end - stage.days(), storageClass.minimumDays());
            double billedObjectBytes =
                    Math.max(objectBytes, storageClass.minimumObjectBytes()) + storageClass.overheadBytesPerObject();
            double gbMonths = objectsPerDay * billedObjectBytes * billedDays / CostModel.GIB;
            Price storagePrice = prices.get("s3", storageClass.unit());
            items.add(new LineItem(
                    "S3",
                    "storage " + prefix + " " + stage.storageClass() + " (days " + stage.days() + "-" + end + ")",
                    gbMonths,
                    storagePrice.unit(),
                    storagePrice.perUnit(),
                    gbMonths * storagePrice.perUnit(),
                    lever));
            if (storageClass.transitionUnit() != null) {
                Price transition = prices.get("s3", storageClass.transitionUnit());
                double thousands = objectsPerDay * daysPerMonth / 1000;
                items.add(new LineItem(
                        "S3",
                        "lifecycle transitions " + prefix + " to " + stage.storageClass(),
                        thousands,
                        transition.unit(),
                        transition.perUnit(),
                        thousands * transition.perUnit(),
                        "a larger BatchSize: fewer, larger raw objects"));
            }
        }
    }
}
