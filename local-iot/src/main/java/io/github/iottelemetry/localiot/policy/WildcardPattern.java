package io.github.iottelemetry.localiot.policy;

/**
 * IAM-style matching of policy strings: {@code *} matches any run of characters (including {@code /}),
 * {@code ?} any one character, everything else itself, case-sensitively. MQTT's {@code +} and {@code #} are
 * ordinary characters here, as in IoT policies.
 */
final class WildcardPattern {

    private WildcardPattern() {}

    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starPattern = -1;
        int starText = -1;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starPattern = p++;
                starText = t;
            } else if (starPattern >= 0) {
                p = starPattern + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
