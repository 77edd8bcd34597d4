package io.github.iottelemetry.verify;

/** One metric of one device window at one resolution: the unit verification compares. */
public record WindowMetricKey(String deviceId, String resolution, long windowStart, String metric)
        implements Comparable<WindowMetricKey> {

    @Override
    public int compareTo(WindowMetricKey o) {
        int c = deviceId.compareTo(o.deviceId);
        if (c == 0) {
            c = resolution.compareTo(o.resolution);
        }
        if (c == 0) {
            c = Long.compare(windowStart, o.windowStart);
        }
        return c != 0 ? c : metric.compareTo(o.metric);
    }

    @Override
    public String toString() {
        return deviceId + "#" + resolution + "@" + windowStart + " " + metric;
    }
}
