package io.github.iottelemetry.iotrules.topic;

/**
 * An MQTT topic filter with the wildcards of MQTT 3.1.1 section 4.7: {@code +} matches exactly one level,
 * {@code #} (last level only) matches the parent level and any number of levels below it. As MQTT requires,
 * a filter starting with a wildcard does not match topics starting with {@code $} (such as Basic Ingest's
 * {@code $aws/rules/...}), so a rule {@code FROM '#'} never sees reserved topics.
 */
public final class TopicFilter {

    private final String filter;

    private TopicFilter(String filter) {
        this.filter = filter;
    }

    /** @throws IllegalArgumentException naming the offending level when the filter is not valid MQTT */
    public static TopicFilter parse(String filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("topic filter is empty");
        }
        if (filter.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("topic filter '" + filter + "' contains a NUL character");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("topic filter '" + filter
                        + "': '#' must be a whole level and the last one (level " + (i + 1) + " is '" + level + "')");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("topic filter '" + filter + "': '+' must be a whole level (level "
                        + (i + 1) + " is '" + level + "')");
            }
        }
        return new TopicFilter(filter);
    }

    public String filter() {
        return filter;
    }

    /** Whether a concrete topic name (no wildcards) matches; compares level by level without splitting. */
    public boolean matches(String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '$' && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (true) {
            int filterEnd = levelEnd(filter, f);
            int topicEnd = levelEnd(topic, t);
            boolean filterLast = filterEnd == filter.length();
            boolean topicLast = topicEnd == topic.length();
            int filterLength = filterEnd - f;
            if (filterLength == 1 && filter.charAt(f) == '#') {
                return true;
            }
            boolean levelMatches = (filterLength == 1 && filter.charAt(f) == '+')
                    || (filterLength == topicEnd - t && filter.regionMatches(f, topic, t, filterLength));
            if (!levelMatches) {
                return false;
            }
            if (filterLast || topicLast) {
                if (filterLast && topicLast) {
                    return true;
                }
                // "a/#" also matches "a": the topic ended and the filter's only remaining level is '#'.
                return topicLast && filter.length() - filterEnd == 2 && filter.charAt(filterEnd + 1) == '#';
            }
            f = filterEnd + 1;
            t = topicEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    @Override
    public String toString() {
        return filter;
    }
}
