package io.github.iottelemetry.iotrules.topic;

import java.util.Optional;

/**
 * A Basic Ingest topic {@code $aws/rules/<ruleName>/<topic>}: the message goes to that one rule only, which
 * sees {@code <topic>} (the prefix is not available to topic(), per the iot-basic-ingest page).
 */
public record BasicIngestTopic(String ruleName, String topic) {

    public static final String PREFIX = "$aws/rules/";

    /** Empty for ordinary topics and for {@code $aws/rules/} topics without a rule name or a topic after it. */
    public static Optional<BasicIngestTopic> parse(String publishedTopic) {
        if (!publishedTopic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int nameEnd = publishedTopic.indexOf('/', PREFIX.length());
        if (nameEnd <= PREFIX.length() || nameEnd == publishedTopic.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new BasicIngestTopic(
                publishedTopic.substring(PREFIX.length(), nameEnd), publishedTopic.substring(nameEnd + 1)));
    }
}
